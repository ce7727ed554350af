-- sitlog schema, migration 3: ended_by 'crash', for a bout that was still open when sitlogd
-- died without stopping (a crash, SIGKILL, power loss). The next sitlogd ends it where its rows
-- end, at its last heartbeat (store_close_dangling()). SQLite cannot change a CHECK constraint
-- in place, so the table is rebuilt with its rows and ids; migrations run with foreign keys
-- off (prompts refer to bouts) and are checked for them before their commit (store.c).
CREATE TABLE bouts_new (
	id INTEGER PRIMARY KEY,
	start_ms INTEGER NOT NULL,
	end_ms INTEGER NOT NULL,
	ended_by TEXT CHECK (ended_by IN ('break', 'end', 'crash')),
	CHECK (end_ms >= start_ms)
);
INSERT INTO bouts_new (id, start_ms, end_ms, ended_by)
	SELECT id, start_ms, end_ms, ended_by FROM bouts;
DROP TABLE bouts;
ALTER TABLE bouts_new RENAME TO bouts;
CREATE INDEX bouts_by_start ON bouts (start_ms);
