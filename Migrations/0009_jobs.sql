-- The worker's job queue, its leaderless schedule and the replicas it knows (worker.md 6.2).
-- "Exactly once" rests on unique indexes, never on a lock plus a query: a scheduled slot is a
-- primary key, a unique job is a partial unique index.
CREATE TABLE jobs (
    id           bigserial   PRIMARY KEY,
    queue        text        NOT NULL DEFAULT 'default' CHECK (queue IN ('default', 'retention', 'mail')),
    kind         text        NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    args         jsonb       NOT NULL DEFAULT '{}',
    state        text        NOT NULL DEFAULT 'available'
                             CHECK (state IN ('available', 'running', 'succeeded', 'dead', 'cancelled')),
    priority     smallint    NOT NULL DEFAULT 2,
    run_at       timestamptz NOT NULL DEFAULT now(),
    attempt      integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts integer     NOT NULL DEFAULT 10 CHECK (max_attempts > 0),
    unique_key   text        CHECK (length(unique_key) BETWEEN 1 AND 300),
    locked_by    uuid,
    lease_until  timestamptz,
    errors       jsonb       NOT NULL DEFAULT '[]',
    created_at   timestamptz NOT NULL DEFAULT now(),
    finalized_at timestamptz,
    CHECK ((state IN ('succeeded', 'dead', 'cancelled')) = (finalized_at IS NOT NULL)),
    CHECK ((state = 'running') = (locked_by IS NOT NULL AND lease_until IS NOT NULL))
);
CREATE INDEX jobs_fetch ON jobs (queue, priority, run_at, id) WHERE state = 'available';
CREATE INDEX jobs_lease ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_finalized ON jobs (finalized_at) WHERE finalized_at IS NOT NULL;
-- Kept while the row exists, which is why pruning waits longer than any period a key protects.
CREATE UNIQUE INDEX jobs_unique_key ON jobs (unique_key) WHERE unique_key IS NOT NULL;
-- A hot, small table: leave room for HOT updates and vacuum it early.
ALTER TABLE jobs SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);

-- One row per schedule slot, keyed by the local calendar (Europe/Amsterdam): every replica tries
-- to insert it and exactly one succeeds, so there is no leader and no state in memory.
CREATE TABLE schedule_slots (
    schedule   text        NOT NULL CHECK (length(schedule) BETWEEN 1 AND 100),
    slot_key   text        NOT NULL CHECK (length(slot_key) BETWEEN 1 AND 40),
    slot_at    timestamptz NOT NULL,
    job_id     bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule, slot_key)
);

-- Observability only: rescue works on job leases, not on this table.
CREATE TABLE worker_instances (
    id           uuid        PRIMARY KEY,
    hostname     text        NOT NULL,
    pid          integer     NOT NULL,
    version      text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at   timestamptz
);
