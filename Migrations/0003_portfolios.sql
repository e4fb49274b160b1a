-- The retention policy as data, keyed by (id, version): a change is a new version, never an
-- edit, so every decision can name the version it was made under. Version 1 is the institute's
-- rule (domain rule 1): keep a portfolio two years after completion, downloadable for six months.
CREATE TABLE retention_policies (
    id                     text        NOT NULL,
    version                integer     NOT NULL CHECK (version > 0),
    keep_months            integer     NOT NULL CHECK (keep_months > 0),
    download_months        integer     NOT NULL CHECK (download_months > 0),
    grace_days             integer     NOT NULL CHECK (grace_days >= 0),
    reason                 text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    created_by             uuid        REFERENCES people (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version),
    CHECK (download_months <= keep_months)
);
INSERT INTO retention_policies (id, version, keep_months, download_months, grace_days, reason)
VALUES ('default', 1, 24, 6, 14, 'Institute policy: kept two years after completion (was seven), downloadable for six months.');

-- One portfolio per trainee, made by the database with the trainee profile so no code path can
-- forget it. Its windows are derived from the trainee's completion date, never stored.
CREATE TABLE portfolios (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    trainee_id uuid        NOT NULL UNIQUE REFERENCES trainee_profiles (person_id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO portfolios (trainee_id) SELECT person_id FROM trainee_profiles;

CREATE FUNCTION create_portfolio_for_trainee() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO portfolios (trainee_id) VALUES (NEW.person_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER trainee_profiles_portfolio AFTER INSERT ON trainee_profiles
    FOR EACH ROW EXECUTE FUNCTION create_portfolio_for_trainee();
