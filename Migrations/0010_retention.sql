-- Retention (domain rule 1, worker.md 6.6): the policy's circuit breaker, legal holds, planned
-- and executed runs, and the disposal log that proves what was deleted without keeping who.

-- Plans that would dispose of more portfolios than this wait for an admin's approval.
ALTER TABLE retention_policies ADD COLUMN auto_approve_max integer NOT NULL DEFAULT 25
    CHECK (auto_approve_max BETWEEN 0 AND 100000);

-- hidden_at: soft-deleted (invisible to the API) at the due date minus the grace period.
-- disposed_at: purged; the row stays as a tombstone so a late hold can name the run.
ALTER TABLE portfolios
    ADD COLUMN hidden_at       timestamptz,
    ADD COLUMN disposed_at     timestamptz,
    ADD COLUMN disposed_by_run uuid,
    ADD CHECK (disposed_at IS NULL OR (hidden_at IS NOT NULL AND disposed_by_run IS NOT NULL));

CREATE TABLE legal_holds (
    id             uuid        PRIMARY KEY,
    scope          text        NOT NULL CHECK (scope IN ('portfolio', 'trainee', 'all')),
    subject_id     uuid,
    reason         text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    case_reference text        NOT NULL CHECK (length(case_reference) BETWEEN 1 AND 200),
    placed_by      uuid        NOT NULL REFERENCES people (id),
    placed_at      timestamptz NOT NULL,
    released_by    uuid        REFERENCES people (id),
    released_at    timestamptz,
    release_reason text        CHECK (length(release_reason) BETWEEN 1 AND 2000),
    CHECK ((scope = 'all') = (subject_id IS NULL)),
    CHECK ((released_at IS NULL) = (released_by IS NULL) AND (released_at IS NULL) = (release_reason IS NULL))
);
CREATE UNIQUE INDEX legal_holds_active_case ON legal_holds
    (scope, coalesce(subject_id, '00000000-0000-0000-0000-000000000000'::uuid), case_reference)
    WHERE released_at IS NULL;
CREATE INDEX legal_holds_active ON legal_holds (scope, subject_id) WHERE released_at IS NULL;

CREATE TABLE retention_runs (
    id             uuid        PRIMARY KEY,
    mode           text        NOT NULL CHECK (mode IN ('dry_run', 'execute')),
    policy_id      text        NOT NULL,
    policy_version integer     NOT NULL,
    as_of          date        NOT NULL,
    trigger        text        NOT NULL CHECK (trigger IN ('admin', 'scheduler', 'cli')),
    requested_by   uuid        REFERENCES people (id),
    status         text        NOT NULL
                               CHECK (status IN ('planned', 'awaiting_approval', 'approved', 'running', 'done', 'aborted')),
    approved_by    uuid        REFERENCES people (id),
    approved_at    timestamptz,
    counts         jsonb       NOT NULL DEFAULT '{}',
    windows        jsonb       NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz,
    FOREIGN KEY (policy_id, policy_version) REFERENCES retention_policies (id, version),
    CHECK (mode = 'execute' OR status IN ('planned', 'aborted')),
    CHECK (mode = 'dry_run' OR status <> 'planned'),
    CHECK (trigger = 'scheduler' OR requested_by IS NOT NULL)
);
CREATE INDEX retention_runs_created ON retention_runs (created_at DESC, id);

-- The plan: exactly what a run will hide or purge, and what a hold keeps. Execution deletes only
-- what is here and still eligible at that moment.
CREATE TABLE retention_candidates (
    run_id        uuid NOT NULL REFERENCES retention_runs (id),
    portfolio_id  uuid NOT NULL,
    trainee_id    uuid NOT NULL,
    completed_at  date NOT NULL,
    hide_on       date NOT NULL,
    delete_after  date NOT NULL,
    planned       text NOT NULL CHECK (planned IN ('hide', 'purge', 'held')),
    hold_id       uuid REFERENCES legal_holds (id),
    outcome       text CHECK (outcome IN ('hidden', 'purged', 'changed', 'failed')),
    PRIMARY KEY (run_id, portfolio_id),
    CHECK ((planned = 'held') = (hold_id IS NOT NULL))
);
CREATE INDEX retention_candidates_open ON retention_candidates (run_id, portfolio_id)
    WHERE outcome IS NULL AND planned <> 'held';

-- Proof of disposal: append-only for the application, hash-chained (a unique prev_hash means
-- two appenders can never fork the chain; appends also take an advisory lock), and free of
-- personal data: the subject is an HMAC of the portfolio id, dates are coarsened to a month.
CREATE TABLE disposal_log (
    seq             bigserial   PRIMARY KEY,
    run_id          uuid        NOT NULL,
    event           text        NOT NULL CHECK (event IN ('planned', 'held', 'hidden', 'purged', 'reapplied', 'aborted')),
    subject_ref     bytea       CHECK (length(subject_ref) = 32),
    policy_id       text        NOT NULL,
    policy_version  integer     NOT NULL,
    completed_month date        CHECK (completed_month IS NULL OR extract(day FROM completed_month) = 1),
    item_count      integer     CHECK (item_count >= 0),
    byte_count      bigint      CHECK (byte_count >= 0),
    actor           text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 100),
    at              timestamptz NOT NULL,
    prev_hash       bytea       NOT NULL UNIQUE CHECK (length(prev_hash) = 32),
    hash            bytea       NOT NULL UNIQUE CHECK (length(hash) = 32)
);
CREATE INDEX disposal_log_subject ON disposal_log (subject_ref) WHERE subject_ref IS NOT NULL;
CREATE INDEX disposal_log_run ON disposal_log (run_id, seq);
REVOKE UPDATE, DELETE, TRUNCATE ON disposal_log FROM dossier_app;
