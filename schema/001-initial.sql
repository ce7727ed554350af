-- sitlog schema, migration 1.
-- Times are UTC milliseconds since the epoch. Segments are the stored facts; bouts and
-- prompts are derived from them by the daemon and kept so that reports are cheap.

CREATE TABLE devices (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('seat', 'imu')),
	bustype INTEGER NOT NULL DEFAULT 0,
	vendor INTEGER NOT NULL DEFAULT 0,
	product INTEGER NOT NULL DEFAULT 0,
	phys TEXT NOT NULL DEFAULT '',
	uniq TEXT NOT NULL DEFAULT '',
	first_seen_ms INTEGER NOT NULL,
	UNIQUE (name, role, bustype, vendor, product, phys, uniq)
);

-- The posture timeline sitlog believes, after debouncing (and, with several devices, fusion).
-- device_id names the device whose reading decided it; NULL when none did (unknown).
CREATE TABLE segments (
	id INTEGER PRIMARY KEY,
	start_ms INTEGER NOT NULL,
	end_ms INTEGER NOT NULL,
	posture TEXT NOT NULL
		CHECK (posture IN ('unknown', 'sitting', 'standing', 'walking', 'away')),
	device_id INTEGER REFERENCES devices (id),
	CHECK (end_ms >= start_ms)
);
CREATE INDEX segments_by_end ON segments (end_ms);

-- ended_by is NULL while the bout is open; 'break' when a break of at least break_min ended
-- it; 'end' when the recording or the daemon ended.
CREATE TABLE bouts (
	id INTEGER PRIMARY KEY,
	start_ms INTEGER NOT NULL,
	end_ms INTEGER NOT NULL,
	ended_by TEXT CHECK (ended_by IN ('break', 'end')),
	CHECK (end_ms >= start_ms)
);
CREATE INDEX bouts_by_start ON bouts (start_ms);

-- One row per issued prompt, delivered or not. reason: 'due' (on schedule), 'resumed' (fell due
-- during a short interruption, issued on sitting down again). delivery: how it was shown.
-- response and response_ms are filled in when the user answers (done, snoozed, dismissed, ...).
CREATE TABLE prompts (
	id INTEGER PRIMARY KEY,
	bout_id INTEGER NOT NULL REFERENCES bouts (id),
	t_ms INTEGER NOT NULL,
	bout_age_ms INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	reason TEXT NOT NULL,
	delivery TEXT NOT NULL,
	heeded INTEGER NOT NULL DEFAULT 0 CHECK (heeded IN (0, 1)),
	response TEXT,
	response_ms INTEGER
);
CREATE INDEX prompts_by_t ON prompts (t_ms);
CREATE INDEX prompts_by_bout ON prompts (bout_id);

-- Small key/value state the daemon keeps across restarts (pause, learned device data, ...).
CREATE TABLE state (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
