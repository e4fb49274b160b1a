-- Assessments of a trainee on an instrument (a form of purpose 'assessment'), by a supervisor or
-- by a feedback giver the trainee invited. An invitation is a single-use link: only the SHA-256
-- of its token is stored, and the unique invitation_id on assessments makes "used once" true
-- under concurrency.
CREATE TABLE assessment_invitations (
    id            uuid        PRIMARY KEY,
    portfolio_id  uuid        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    form_key      text        NOT NULL REFERENCES forms (key),
    invitee_name  text        NOT NULL CHECK (length(invitee_name) BETWEEN 1 AND 200),
    token_hash    bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    created_by    uuid        NOT NULL REFERENCES people (id),
    created_at    timestamptz NOT NULL
);
CREATE INDEX assessment_invitations_portfolio ON assessment_invitations (portfolio_id, id);

CREATE TABLE assessments (
    id            uuid        PRIMARY KEY,
    portfolio_id  uuid        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    form_key      text        NOT NULL,
    form_version  integer     NOT NULL,
    is_test       boolean     NOT NULL,
    assessor_id   uuid        REFERENCES people (id),
    invitation_id uuid        UNIQUE REFERENCES assessment_invitations (id) ON DELETE CASCADE,
    assessor_name text        NOT NULL CHECK (length(assessor_name) BETWEEN 1 AND 200),
    assessor_role text        NOT NULL,
    answers       jsonb       NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
    narrative     text        NOT NULL CHECK (length(narrative) <= 20000),
    assessed_on   date        NOT NULL,
    created_at    timestamptz NOT NULL,
    FOREIGN KEY (form_key, form_version) REFERENCES form_versions (form_key, version),
    CHECK ((assessor_id IS NULL) <> (invitation_id IS NULL))
);
CREATE INDEX assessments_portfolio ON assessments (portfolio_id, id);
CREATE INDEX assessments_form_version ON assessments (form_key, form_version);
