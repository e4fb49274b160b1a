-- People, their trainee profiles, groups and supervisions; tokens and service clients; the
-- access log (NEN 7513) and idempotency keys. The database enforces what must hold under
-- concurrency: unique e-mail (case-insensitive), no overlapping supervision of one kind for one
-- pair, one owner per token, an append-only access log.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE groups (
    id            uuid        PRIMARY KEY,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind          text        NOT NULL CHECK (kind IN ('year', 'flex')),
    training_year smallint    NOT NULL CHECK (training_year BETWEEN 1 AND 3),
    site          text        NOT NULL CHECK (site IN ('leiden', 'den_haag')),
    version       bigint      NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX groups_name_key ON groups (lower(name));

CREATE TABLE people (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email      text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    roles      text[]      NOT NULL CHECK (
        cardinality(roles) > 0
        AND roles <@ ARRAY['trainee', 'trainer', 'stand_in_trainer', 'teacher', 'internship_supervisor',
                           'coordinator', 'admin']::text[]),
    version    bigint      NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX people_email_key ON people (lower(email));
CREATE INDEX people_updated_at ON people (updated_at);
CREATE INDEX people_roles ON people USING gin (roles);

-- The completion date is stored here and only here; portfolio windows are derived from it.
CREATE TABLE trainee_profiles (
    person_id         uuid     PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    start_date        date     NOT NULL,
    expected_end_date date     NOT NULL,
    training_year     smallint NOT NULL CHECK (training_year BETWEEN 1 AND 3),
    site              text     NOT NULL CHECK (site IN ('leiden', 'den_haag')),
    group_id          uuid     REFERENCES groups (id),
    status            text     NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'stopped')),
    completed_at      date,
    CHECK (expected_end_date > start_date),
    CHECK ((status = 'active') = (completed_at IS NULL)),
    CHECK (completed_at IS NULL OR completed_at >= start_date)
);
CREATE INDEX trainee_profiles_group ON trainee_profiles (group_id);

CREATE TABLE group_teachers (
    group_id   uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    teacher_id uuid NOT NULL REFERENCES people (id),
    PRIMARY KEY (group_id, teacher_id)
);

-- Every completion and correction, kept: the completion starts the download window and the
-- retention clock, so who set it, when and why must stay answerable.
CREATE TABLE completion_events (
    id           uuid        PRIMARY KEY,
    trainee_id   uuid        NOT NULL REFERENCES trainee_profiles (person_id) ON DELETE CASCADE,
    completed_at date        NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('completed', 'stopped')),
    reason       text        CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 2000),
    corrects     uuid        REFERENCES completion_events (id),
    recorded_by  uuid        REFERENCES people (id),
    request_id   text,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (corrects IS NULL OR reason IS NOT NULL)
);
CREATE INDEX completion_events_trainee ON completion_events (trainee_id, recorded_at);

CREATE TABLE supervisions (
    id            uuid        PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('trainer', 'stand_in_trainer', 'teacher', 'internship_supervisor')),
    supervisor_id uuid        NOT NULL REFERENCES people (id),
    trainee_id    uuid        NOT NULL REFERENCES trainee_profiles (person_id) ON DELETE CASCADE,
    valid_from    date        NOT NULL,
    valid_until   date,
    version       bigint      NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_until IS NULL OR valid_until >= valid_from),
    CHECK (supervisor_id <> trainee_id),
    CONSTRAINT supervisions_no_overlap EXCLUDE USING gist (
        supervisor_id WITH =, trainee_id WITH =, kind WITH =,
        daterange(valid_from, valid_until, '[]') WITH &&)
);
CREATE INDEX supervisions_trainee ON supervisions (trainee_id);
CREATE INDEX supervisions_supervisor ON supervisions (supervisor_id);

CREATE TABLE service_clients (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    scopes      text[]      NOT NULL,
    created_by  uuid        REFERENCES people (id),
    disabled_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX service_clients_name_key ON service_clients (lower(name));

-- Only the SHA-256 of a token is stored; the secret is shown once.
CREATE TABLE api_tokens (
    id                uuid        PRIMARY KEY,
    token_hash        bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    person_id         uuid        REFERENCES people (id) ON DELETE CASCADE,
    service_client_id uuid        REFERENCES service_clients (id) ON DELETE CASCADE,
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    scopes            text[]      NOT NULL,
    issued_by         text        NOT NULL,
    expires_at        timestamptz NOT NULL,
    revoked_at        timestamptz,
    last_used_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((person_id IS NULL) <> (service_client_id IS NULL))
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);
CREATE INDEX api_tokens_service_client ON api_tokens (service_client_id);

-- NEN 7513 access log: who accessed whose dossier data, when, under which rule. Identifiers only,
-- never content. Append-only for the application role; kept at least five years.
CREATE TABLE access_log (
    id                uuid        PRIMARY KEY,
    occurred_at       timestamptz NOT NULL,
    action            char(1)     NOT NULL CHECK (action IN ('C', 'R', 'U', 'D', 'E')),
    outcome           text        NOT NULL CHECK (outcome IN ('success', 'denied')),
    actor_person_id   uuid,
    service_client_id uuid,
    token_id          uuid,
    role              text        NOT NULL,
    client_ip         text,
    subject_id        uuid        NOT NULL,
    resource_type     text        NOT NULL,
    resource_id       uuid,
    rule              text        NOT NULL,
    reason            text,
    request_id        text        NOT NULL
);
CREATE INDEX access_log_subject ON access_log (subject_id, occurred_at, id);
CREATE INDEX access_log_actor ON access_log (actor_person_id, occurred_at);
REVOKE UPDATE, DELETE, TRUNCATE ON access_log FROM dossier_app;

-- Creating POSTs replay their first response for 24 hours; a NULL status means still in flight.
-- A response that carried a secret (a new token) is withheld: its body is never stored.
CREATE TABLE idempotency_keys (
    principal     text        NOT NULL,
    method        text        NOT NULL,
    path          text        NOT NULL,
    key           text        NOT NULL,
    request_hash  bytea       NOT NULL,
    status        integer,
    withheld      boolean     NOT NULL DEFAULT false,
    headers       jsonb,
    body          bytea,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (principal, method, path, key),
    CHECK (NOT withheld OR body IS NULL)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
