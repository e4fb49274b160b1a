-- Progress reviews (the triangle's meeting every three months), progress advice and progress
-- decisions, each on its own versioned form. A signed record is immutable, which the trigger
-- holds even against a bug in the service; a correction is a new record that amends it.
CREATE TABLE progress_records (
    id            uuid        PRIMARY KEY,
    portfolio_id  uuid        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    kind          text        NOT NULL CHECK (kind IN ('review', 'advice', 'decision')),
    form_key      text        NOT NULL,
    form_version  integer     NOT NULL,
    is_test       boolean     NOT NULL,
    held_on       date        NOT NULL,
    answers       jsonb       NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
    summary       text        NOT NULL CHECK (length(summary) <= 20000),
    author_id     uuid        NOT NULL REFERENCES people (id),
    author_rule   text        NOT NULL,
    amends        uuid        REFERENCES progress_records (id) ON DELETE CASCADE,
    amend_reason  text        CHECK (amend_reason IS NULL OR length(amend_reason) BETWEEN 1 AND 2000),
    signed_at     timestamptz,
    signed_by     uuid        REFERENCES people (id),
    version       bigint      NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    FOREIGN KEY (form_key, form_version) REFERENCES form_versions (form_key, version),
    CHECK ((signed_at IS NULL) = (signed_by IS NULL)),
    CHECK ((amends IS NULL) = (amend_reason IS NULL))
);
CREATE INDEX progress_records_portfolio ON progress_records (portfolio_id, id);
CREATE INDEX progress_records_form_version ON progress_records (form_key, form_version);

CREATE FUNCTION progress_records_signed_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'progress record % is signed and cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER progress_records_signed_is_final BEFORE UPDATE ON progress_records
    FOR EACH ROW EXECUTE FUNCTION progress_records_signed_is_final();
