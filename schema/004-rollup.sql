-- sitlog schema, migration 4: a daily roll-up of the report's figures, so that a report over
-- years reads a few rows instead of every segment, bout and prompt (docs/semantics.md
-- "Reports", "The daily roll-up"). It is derived from the raw tables only, by the one writer,
-- in its own time zone and rules: state 'rollup-zone' (the zone's identifier) and 'rollup-rules'
-- (a number the code bumps when a figure's definition changes). A writer whose zone or rules
-- differ rebuilds it whole; a reader in another zone or with other rules ignores it.
--
-- month: the first day of a local month as GLib's Julian day number (0001-01-01 is 1); one row
-- a month, so that a report over years steps through a few rows. days: for each day of the
-- month with anything in it, in order: its day of the month (one byte), the length of its
-- figures (unsigned LEB128) and the figures, little-endian: start_ms (64 bits), then 32 bits
-- each: end_ms - start_ms, then in ms or counts sitting, upright, measured, away, bouts,
-- longest, breaks, prompts, heeded, n0..n3 and ms0..ms3 (bouts starting that day by length
-- class, 0: < 30 min, 1: 30-60, 2: 60-90, 3: >= 90: their count and full lengths), then for
-- each nonzero hour slot of the bouts of classes 1-3 one byte (class << 5 | local hour of the
-- day) and its ms (32 bits). Figures of length 0: a day whose numbers do not fit (a bout of
-- weeks), computed from the raw tables by readers. start_ms, end_ms: that day's local
-- midnights as the writer cut them (23 or 25 h on DST days; a reader whose own midnights
-- differ computes the day from the raw tables). A day without anything has no figures; a
-- month without anything has no row. The writer recomputes a month whole whenever one of its
-- days changed.
CREATE TABLE IF NOT EXISTS rollup_months (
	month INTEGER PRIMARY KEY,
	days BLOB NOT NULL
);

-- What changed in the raw tables since the roll-up was last brought up to date: the spans of
-- time whose days must be computed again. Triggers fill it in the very statement that changes a
-- row, whoever writes it and however (in a transaction or not), so the roll-up can never be
-- silently stale: the writer recomputes those days and empties it before it commits
-- (store_commit()), and a reader computes the days it still names from the raw tables.
CREATE TABLE IF NOT EXISTS rollup_dirty (
	from_ms INTEGER NOT NULL,
	to_ms INTEGER NOT NULL
);

-- A later migration that rebuilds one of these tables (as 003 did bouts) drops its triggers
-- with it and must create them again.
-- a segment counts on every day it overlaps
CREATE TRIGGER IF NOT EXISTS rollup_segment_insert AFTER INSERT ON segments BEGIN
	INSERT INTO rollup_dirty VALUES (NEW.start_ms, NEW.end_ms);
END;
CREATE TRIGGER IF NOT EXISTS rollup_segment_update
	AFTER UPDATE OF start_ms, end_ms, posture, device_id ON segments BEGIN
	INSERT INTO rollup_dirty
		VALUES (MIN(OLD.start_ms, NEW.start_ms), MAX(OLD.end_ms, NEW.end_ms));
END;
CREATE TRIGGER IF NOT EXISTS rollup_segment_delete AFTER DELETE ON segments BEGIN
	INSERT INTO rollup_dirty VALUES (OLD.start_ms, OLD.end_ms);
END;
-- a bout counts on the day it starts, whole
CREATE TRIGGER IF NOT EXISTS rollup_bout_insert AFTER INSERT ON bouts BEGIN
	INSERT INTO rollup_dirty VALUES (NEW.start_ms, NEW.start_ms);
END;
CREATE TRIGGER IF NOT EXISTS rollup_bout_update
	AFTER UPDATE OF start_ms, end_ms, ended_by ON bouts BEGIN
	INSERT INTO rollup_dirty
		VALUES (MIN(OLD.start_ms, NEW.start_ms), MAX(OLD.start_ms, NEW.start_ms));
END;
CREATE TRIGGER IF NOT EXISTS rollup_bout_delete AFTER DELETE ON bouts BEGIN
	INSERT INTO rollup_dirty VALUES (OLD.start_ms, OLD.start_ms);
END;
-- a prompt on the day it was issued
CREATE TRIGGER IF NOT EXISTS rollup_prompt_insert AFTER INSERT ON prompts BEGIN
	INSERT INTO rollup_dirty VALUES (NEW.t_ms, NEW.t_ms);
END;
CREATE TRIGGER IF NOT EXISTS rollup_prompt_update
	AFTER UPDATE OF t_ms, reason, heeded ON prompts BEGIN
	INSERT INTO rollup_dirty VALUES (MIN(OLD.t_ms, NEW.t_ms), MAX(OLD.t_ms, NEW.t_ms));
END;
CREATE TRIGGER IF NOT EXISTS rollup_prompt_delete AFTER DELETE ON prompts BEGIN
	INSERT INTO rollup_dirty VALUES (OLD.t_ms, OLD.t_ms);
END;
