-- Users, tokens, jobs and results. Times are Unix microseconds (UTC); 0
-- means unset. JSON columns hold the qluster types' JSON encoding.

CREATE TABLE users (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	admin       INTEGER NOT NULL DEFAULT 0,
	limits      TEXT NOT NULL DEFAULT '{}',
	created_at  INTEGER NOT NULL,
	disabled_at INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE tokens (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL DEFAULT '',
	prefix       TEXT NOT NULL,
	hash         BLOB NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL DEFAULT 0,
	revoked_at   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX tokens_user ON tokens (user_id, created_at);

CREATE TABLE jobs (
	id               TEXT PRIMARY KEY,
	owner            TEXT NOT NULL REFERENCES users (id),
	backend          TEXT NOT NULL,
	status           TEXT NOT NULL,
	priority         INTEGER NOT NULL DEFAULT 0,
	spec             TEXT NOT NULL,
	request_hash     TEXT NOT NULL,
	attempt          INTEGER NOT NULL DEFAULT 0,
	max_attempts     INTEGER NOT NULL,
	error            TEXT NOT NULL DEFAULT '',
	worker           TEXT NOT NULL DEFAULT '',
	lease_expires_at INTEGER NOT NULL DEFAULT 0,
	created_at       INTEGER NOT NULL,
	started_at       INTEGER NOT NULL DEFAULT 0,
	finished_at      INTEGER NOT NULL DEFAULT 0,
	updated_at       INTEGER NOT NULL,
	idempotency_key  TEXT NOT NULL DEFAULT '',
	cancel_requested INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Listing, newest first, for everyone (admins) and per owner.
CREATE INDEX jobs_created ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_owner ON jobs (owner, created_at DESC, id DESC);
-- The queue in lease order; backend is included so filtering by it needs
-- no table lookup.
CREATE INDEX jobs_queue ON jobs (priority DESC, created_at, id, backend) WHERE status = 'queued';
-- Leases to expire.
CREATE INDEX jobs_lease ON jobs (lease_expires_at) WHERE status = 'running';
-- Stats.
CREATE INDEX jobs_status ON jobs (status, backend);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (owner, idempotency_key) WHERE idempotency_key <> '';

CREATE TABLE results (
	job_id     TEXT PRIMARY KEY REFERENCES jobs (id),
	data       TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
