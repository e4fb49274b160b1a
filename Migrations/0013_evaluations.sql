-- Evaluations (domain rule 4): trainees evaluate education moments, modules, internships and
-- their trainer. For an anonymous evaluation nothing in these tables joins an answer back to
-- its respondent, even for someone who reads every table, xmin and ctid as superuser:
-- * evaluation_assignments says who was asked and on which day they answered (no finer time);
-- * the response transaction stores the answers only sealed (AES-GCM under a key derived from
--   DOSSIER_SECRET_KEY, which the database never holds) in evaluation_inbox, a row with a random
--   id and no time, whose xmin is the one link to the assignment;
-- * the worker folds the inbox into per-option counters (created at zero with the evaluation, so
--   their order says nothing) and free-text rows (random ids, inserted in shuffled order) once it
--   holds the threshold or the evaluation has closed, and deletes the inbox rows; autovacuum
--   then removes the dead rows and their xmin (see below).
ALTER TABLE forms DROP CONSTRAINT forms_purpose_check;
ALTER TABLE forms ADD CONSTRAINT forms_purpose_check CHECK (
    purpose IN ('assessment', 'progress_review', 'progress_advice', 'progress_decision', 'evaluation'));

CREATE TABLE evaluations (
    id             uuid        PRIMARY KEY,
    title          text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    form_key       text        NOT NULL,
    form_version   integer     NOT NULL,
    subject_kind   text        NOT NULL CHECK (subject_kind IN ('education_moment', 'module', 'internship', 'trainer')),
    subject_name   text        CHECK (subject_name IS NULL OR length(subject_name) BETWEEN 1 AND 200),
    subject_on     date,
    group_id       uuid        REFERENCES groups (id),
    trainer_id     uuid        REFERENCES people (id),
    opens_at       timestamptz NOT NULL,
    closes_at      timestamptz NOT NULL,
    anonymous      boolean     NOT NULL,
    min_responses  integer     NOT NULL CHECK (min_responses BETWEEN 3 AND 1000),
    target_rate    integer     CHECK (target_rate IS NULL OR target_rate BETWEEN 1 AND 100),
    -- Responses the report counts: folded ones for an anonymous evaluation, stored ones for a named one.
    responses      integer     NOT NULL DEFAULT 0 CHECK (responses >= 0),
    version        bigint      NOT NULL DEFAULT 1,
    created_by     uuid        REFERENCES people (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    FOREIGN KEY (form_key, form_version) REFERENCES form_versions (form_key, version),
    CHECK (closes_at > opens_at),
    CHECK (subject_kind <> 'trainer' OR trainer_id IS NOT NULL),
    CHECK (subject_kind <> 'education_moment' OR subject_on IS NOT NULL)
);
CREATE INDEX evaluations_opens ON evaluations (opens_at, id);
CREATE INDEX evaluations_trainer ON evaluations (trainer_id) WHERE trainer_id IS NOT NULL;

CREATE TABLE evaluation_teachers (
    evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    person_id     uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (evaluation_id, person_id)
);
CREATE INDEX evaluation_teachers_person ON evaluation_teachers (person_id);

CREATE TABLE evaluation_assignments (
    evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    person_id     uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    answered_on   date,
    -- The SHA-256 of the respondent's personal response link, if one was issued; the link answers
    -- this assignment only, once, until the evaluation closes. A new link replaces the old one.
    link_hash     bytea       UNIQUE CHECK (length(link_hash) = 32),
    PRIMARY KEY (evaluation_id, person_id)
);
CREATE INDEX evaluation_assignments_person ON evaluation_assignments (person_id, evaluation_id);

-- Named evaluations only: the answers with their respondent, read under the access log.
CREATE TABLE evaluation_named_responses (
    evaluation_id uuid  NOT NULL,
    person_id     uuid  NOT NULL,
    answers       jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
    submitted_on  date  NOT NULL,
    PRIMARY KEY (evaluation_id, person_id),
    FOREIGN KEY (evaluation_id, person_id) REFERENCES evaluation_assignments (evaluation_id, person_id)
        ON DELETE CASCADE
);

CREATE TABLE evaluation_inbox (
    id            uuid  PRIMARY KEY,
    evaluation_id uuid  NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    sealed        bytea NOT NULL CHECK (length(sealed) > 28)
);
CREATE INDEX evaluation_inbox_evaluation ON evaluation_inbox (evaluation_id);
-- A folded row is deleted, but its dead tuple (with the xmin that matches an assignment) stays
-- on disk until a vacuum. dossier_app may not VACUUM (PostgreSQL 15 wants the owner), so
-- autovacuum does it: with both thresholds at zero, within autovacuum_naptime of every fold.
ALTER TABLE evaluation_inbox SET (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0);

-- One counter per question, item (a competency, or '') and value (a level, an option, or '' for
-- "answered this question"); all created at zero with the evaluation.
CREATE TABLE evaluation_counts (
    evaluation_id uuid    NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    question_id   text    NOT NULL,
    item          text    NOT NULL,
    value         text    NOT NULL,
    count         integer NOT NULL DEFAULT 0 CHECK (count >= 0),
    PRIMARY KEY (evaluation_id, question_id, item, value)
);

CREATE TABLE evaluation_texts (
    id              uuid    PRIMARY KEY,
    evaluation_id   uuid    NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    question_id     text    NOT NULL,
    body            text    NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    -- The respondent allowed this text to be shown even when it is the only one on its question.
    shown_if_alone  boolean NOT NULL
);
CREATE INDEX evaluation_texts_evaluation ON evaluation_texts (evaluation_id, question_id);

-- Closing the loop: what the institute changed after an evaluation, for its respondents and
-- invitees to read (and for the digest mail to announce once).
CREATE TABLE evaluation_follow_ups (
    id            uuid        PRIMARY KEY,
    evaluation_id uuid        NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    body          text        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    author_id     uuid        REFERENCES people (id) ON DELETE SET NULL,
    published_at  timestamptz NOT NULL
);
CREATE INDEX evaluation_follow_ups_evaluation ON evaluation_follow_ups (evaluation_id, id);
CREATE INDEX evaluation_follow_ups_published ON evaluation_follow_ups (published_at);

-- An anonymous evaluation with a response keeps its answers unlinkable; turning it named would
-- promise respondents something their answers were not given under.
CREATE FUNCTION evaluations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.anonymous AND NOT NEW.anonymous AND EXISTS (
        SELECT 1 FROM evaluation_assignments WHERE evaluation_id = OLD.id AND answered_on IS NOT NULL) THEN
        RAISE EXCEPTION 'evaluation % has responses and stays anonymous', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.form_key <> OLD.form_key OR NEW.form_version <> OLD.form_version THEN
        RAISE EXCEPTION 'evaluation % keeps its form version', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER evaluations_guard BEFORE UPDATE ON evaluations FOR EACH ROW EXECUTE FUNCTION evaluations_guard();

-- Example forms, in production and marked as examples like the ComBeL ones: the institute
-- replaces their questions by adding a version through the forms API.
INSERT INTO forms (key, title, purpose, created_at, updated_at) VALUES
    ('education-moment-evaluation', 'Evaluation of an education moment', 'evaluation', now(), now()),
    ('module-evaluation', 'Module evaluation (each trimester)', 'evaluation', now(), now()),
    ('internship-evaluation', 'Internship evaluation', 'evaluation', now(), now()),
    ('trainer-evaluation', 'Trainer evaluation (leoh)', 'evaluation', now(), now());

INSERT INTO form_versions (form_key, version, status, definition, example, notes, created_at, updated_at) VALUES
    ('education-moment-evaluation', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s items through the forms API.", "questions": [{"id": "overall", "kind": "rating", "label": "Overall, how useful was this education moment?", "required": true, "levels": [{"value": 1, "label": "Not useful"}, {"value": 2, "label": "Somewhat useful"}, {"value": 3, "label": "Useful"}, {"value": 4, "label": "Very useful"}, {"value": 5, "label": "Excellent"}]}, {"id": "teaching", "kind": "rating", "label": "The teaching was clear", "required": true, "levels": [{"value": 1, "label": "Disagree"}, {"value": 2, "label": "Partly disagree"}, {"value": 3, "label": "Neutral"}, {"value": 4, "label": "Partly agree"}, {"value": 5, "label": "Agree"}]}, {"id": "keep", "kind": "text", "label": "What should we keep?", "required": false, "max_length": 2000}, {"id": "change", "kind": "text", "label": "What should we change?", "required": false, "max_length": 2000}]}', true, 'Example shipped with Dossier', now(), now()),
    ('module-evaluation', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s items through the forms API.", "questions": [{"id": "overall", "kind": "rating", "label": "Overall rating of the module", "required": true, "levels": [{"value": 1, "label": "Poor"}, {"value": 2, "label": "Fair"}, {"value": 3, "label": "Good"}, {"value": 4, "label": "Very good"}, {"value": 5, "label": "Excellent"}]}, {"id": "parts", "kind": "multiple_choice", "label": "Which parts helped you most?", "required": false, "options": [{"value": "lectures", "label": "Lectures"}, {"value": "skills_training", "label": "Skills training"}, {"value": "peer_groups", "label": "Peer groups"}, {"value": "assignments", "label": "Assignments"}]}, {"id": "comments", "kind": "text", "label": "Comments", "required": false, "max_length": 4000}]}', true, 'Example shipped with Dossier', now(), now()),
    ('internship-evaluation', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s items through the forms API.", "questions": [{"id": "supervision", "kind": "rating", "label": "Supervision during the internship", "required": true, "levels": [{"value": 1, "label": "Poor"}, {"value": 2, "label": "Fair"}, {"value": 3, "label": "Good"}, {"value": 4, "label": "Very good"}, {"value": 5, "label": "Excellent"}]}, {"id": "recommend", "kind": "single_choice", "label": "Would you recommend this placement?", "required": true, "options": [{"value": "yes", "label": "Yes"}, {"value": "with_reservations", "label": "With reservations"}, {"value": "no", "label": "No"}]}, {"id": "comments", "kind": "text", "label": "Comments", "required": false, "max_length": 4000}]}', true, 'Example shipped with Dossier', now(), now()),
    ('trainer-evaluation', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier (after the national trainer evaluation, leoh); replace it with the national items through the forms API.", "questions": [{"id": "aspects", "kind": "competency_rating", "label": "Rate your trainer and training practice", "required": true, "levels": [{"value": 1, "label": "Insufficient"}, {"value": 2, "label": "Sufficient"}, {"value": 3, "label": "Good"}, {"value": 4, "label": "Excellent"}], "competencies": [{"value": "availability", "label": "Availability for questions and supervision"}, {"value": "feedback", "label": "Feedback on my work"}, {"value": "learning_climate", "label": "Learning climate in the practice"}, {"value": "role_model", "label": "Role model as a GP"}]}, {"id": "overall", "kind": "rating", "label": "Overall rating of the training period", "required": true, "levels": [{"value": 1, "label": "Poor"}, {"value": 2, "label": "Fair"}, {"value": 3, "label": "Good"}, {"value": 4, "label": "Very good"}, {"value": 5, "label": "Excellent"}]}, {"id": "tips", "kind": "text", "label": "Tips for your trainer", "required": false, "max_length": 4000}]}', true, 'Example shipped with Dossier', now(), now());
