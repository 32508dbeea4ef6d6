-- Users, tokens, jobs and results. NULL times are unset. JSON columns hold
-- the qluster types' JSON encoding.

CREATE TABLE users (
	id          text PRIMARY KEY,
	name        text NOT NULL UNIQUE,
	admin       boolean NOT NULL DEFAULT false,
	limits      jsonb NOT NULL DEFAULT '{}',
	created_at  timestamptz NOT NULL,
	disabled_at timestamptz
);

CREATE TABLE tokens (
	id           text PRIMARY KEY,
	user_id      text NOT NULL REFERENCES users (id),
	name         text NOT NULL DEFAULT '',
	prefix       text NOT NULL,
	hash         bytea NOT NULL UNIQUE,
	created_at   timestamptz NOT NULL,
	last_used_at timestamptz,
	revoked_at   timestamptz
);

CREATE INDEX tokens_user ON tokens (user_id, created_at);

CREATE TABLE jobs (
	id               text PRIMARY KEY,
	owner            text NOT NULL REFERENCES users (id),
	backend          text NOT NULL,
	status           text NOT NULL,
	priority         integer NOT NULL DEFAULT 0,
	spec             jsonb NOT NULL,
	request_hash     text NOT NULL,
	attempt          integer NOT NULL DEFAULT 0,
	max_attempts     integer NOT NULL,
	error            text NOT NULL DEFAULT '',
	worker           text NOT NULL DEFAULT '',
	lease_expires_at timestamptz,
	created_at       timestamptz NOT NULL,
	started_at       timestamptz,
	finished_at      timestamptz,
	updated_at       timestamptz NOT NULL,
	idempotency_key  text NOT NULL DEFAULT '',
	cancel_requested boolean NOT NULL DEFAULT false
);

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

-- json, not jsonb: results are stored and returned as they are, never
-- queried.
CREATE TABLE results (
	job_id     text PRIMARY KEY REFERENCES jobs (id),
	data       json NOT NULL,
	created_at timestamptz NOT NULL
);
