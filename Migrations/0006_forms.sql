-- Versioned forms (domain rule 2): a version is a draft while it is written, tested before it
-- goes into production, and retired when a newer one replaces it. Only a draft changes, so a
-- response can always be read against the questions it answered; the database holds both rules.
CREATE TABLE forms (
    key        text        PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9-]{0,63}$'),
    title      text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    purpose    text        NOT NULL CHECK (purpose IN ('assessment', 'progress_review', 'progress_advice', 'progress_decision')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE form_versions (
    form_key   text        NOT NULL REFERENCES forms (key),
    version    integer     NOT NULL CHECK (version > 0),
    status     text        NOT NULL CHECK (status IN ('draft', 'testing', 'production', 'retired')),
    definition jsonb       NOT NULL CHECK (jsonb_typeof(definition -> 'questions') = 'array'),
    example    boolean     NOT NULL DEFAULT false,
    notes      text        CHECK (notes IS NULL OR length(notes) <= 2000),
    revision   bigint      NOT NULL DEFAULT 1,
    created_by uuid        REFERENCES people (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (form_key, version)
);
CREATE UNIQUE INDEX form_versions_one_production ON form_versions (form_key) WHERE status = 'production';

CREATE FUNCTION form_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'draft' AND NEW.definition IS DISTINCT FROM OLD.definition THEN
        RAISE EXCEPTION 'form version %/% is % and its questions cannot change', OLD.form_key, OLD.version, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status <> OLD.status AND NOT (
        (OLD.status = 'draft' AND NEW.status = 'testing') OR
        (OLD.status = 'testing' AND NEW.status IN ('production', 'retired')) OR
        (OLD.status = 'production' AND NEW.status = 'retired')) THEN
        RAISE EXCEPTION 'form version %/% cannot move from % to %', OLD.form_key, OLD.version, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER form_versions_guard BEFORE UPDATE ON form_versions
    FOR EACH ROW EXECUTE FUNCTION form_versions_guard();

-- Example definitions for the instruments the e-portfolio uses, in production so the service
-- works out of the box, and marked as examples: the institute replaces them with its own items
-- by adding a version through the forms API.
INSERT INTO forms (key, title, purpose, created_at, updated_at) VALUES
    ('combel-y1', 'ComBeL competency assessment, year 1', 'assessment', now(), now()),
    ('combel-y2', 'ComBeL competency assessment, year 2', 'assessment', now(), now()),
    ('combel-y3', 'ComBeL competency assessment, year 3', 'assessment', now(), now()),
    ('kba', 'Professional activity (KBA/EPA) assessment', 'assessment', now(), now()),
    ('consultation-skills-y3', 'Consultation skills assessment, year 3', 'assessment', now(), now()),
    ('apc-basics-y1', 'Basic communication skills test, year 1', 'assessment', now(), now()),
    ('progress-review', 'Progress review (voortgangsgesprek)', 'progress_review', now(), now()),
    ('progress-advice', 'Progress advice (voortgangsadvies)', 'progress_advice', now(), now()),
    ('progress-decision', 'Progress decision (voortgangsbeslissing)', 'progress_decision', now(), now());

INSERT INTO form_versions (form_key, version, status, definition, example, notes, created_at, updated_at) VALUES
    ('combel-y1', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s ComBeL year 1 items through the forms API.", "questions": [{"id": "competencies", "kind": "competency_rating", "label": "Rate each competency for a year-1 trainee", "required": true, "levels": [{"value": 1, "label": "Insufficient"}, {"value": 2, "label": "Developing"}, {"value": 3, "label": "At the expected level"}, {"value": 4, "label": "Beyond the expected level"}], "competencies": [{"value": "medical_expertise", "label": "Medical expertise (medisch handelen)"}, {"value": "communication", "label": "Communication"}, {"value": "collaboration", "label": "Collaboration (samenwerken)"}, {"value": "knowledge_and_science", "label": "Knowledge and science"}, {"value": "social_accountability", "label": "Social accountability (maatschappelijk handelen)"}, {"value": "organisation", "label": "Organisation"}, {"value": "professionalism", "label": "Professionalism"}]}, {"id": "strengths", "kind": "text", "label": "Strengths", "required": false, "max_length": 5000}, {"id": "development_points", "kind": "text", "label": "Points to develop", "required": true, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now()),
    ('combel-y2', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s ComBeL year 2 items through the forms API.", "questions": [{"id": "competencies", "kind": "competency_rating", "label": "Rate each competency for a year-2 trainee", "required": true, "levels": [{"value": 1, "label": "Insufficient"}, {"value": 2, "label": "Developing"}, {"value": 3, "label": "At the expected level"}, {"value": 4, "label": "Beyond the expected level"}], "competencies": [{"value": "medical_expertise", "label": "Medical expertise (medisch handelen)"}, {"value": "communication", "label": "Communication"}, {"value": "collaboration", "label": "Collaboration (samenwerken)"}, {"value": "knowledge_and_science", "label": "Knowledge and science"}, {"value": "social_accountability", "label": "Social accountability (maatschappelijk handelen)"}, {"value": "organisation", "label": "Organisation"}, {"value": "professionalism", "label": "Professionalism"}]}, {"id": "strengths", "kind": "text", "label": "Strengths", "required": false, "max_length": 5000}, {"id": "development_points", "kind": "text", "label": "Points to develop", "required": true, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now()),
    ('combel-y3', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s ComBeL year 3 items through the forms API.", "questions": [{"id": "competencies", "kind": "competency_rating", "label": "Rate each competency for a year-3 trainee", "required": true, "levels": [{"value": 1, "label": "Insufficient"}, {"value": 2, "label": "Developing"}, {"value": 3, "label": "At the expected level"}, {"value": 4, "label": "Beyond the expected level"}], "competencies": [{"value": "medical_expertise", "label": "Medical expertise (medisch handelen)"}, {"value": "communication", "label": "Communication"}, {"value": "collaboration", "label": "Collaboration (samenwerken)"}, {"value": "knowledge_and_science", "label": "Knowledge and science"}, {"value": "social_accountability", "label": "Social accountability (maatschappelijk handelen)"}, {"value": "organisation", "label": "Organisation"}, {"value": "professionalism", "label": "Professionalism"}]}, {"id": "strengths", "kind": "text", "label": "Strengths", "required": false, "max_length": 5000}, {"id": "development_points", "kind": "text", "label": "Points to develop", "required": true, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now()),
    ('kba', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s KBA items through the forms API.", "questions": [{"id": "activity", "kind": "single_choice", "label": "Professional activity", "required": true, "options": [{"value": "acute_care", "label": "Acute care"}, {"value": "chronic_care", "label": "Chronic care"}, {"value": "elderly_care", "label": "Elderly care"}, {"value": "mental_health", "label": "Mental health"}, {"value": "palliative_care", "label": "Palliative care"}, {"value": "children", "label": "Care for children"}, {"value": "practice_management", "label": "Practice management"}]}, {"id": "entrustment", "kind": "rating", "label": "Level of entrustment", "required": true, "levels": [{"value": 1, "label": "Observes"}, {"value": 2, "label": "Acts under direct supervision"}, {"value": 3, "label": "Acts under indirect supervision"}, {"value": 4, "label": "Acts independently"}, {"value": 5, "label": "Supervises others"}]}, {"id": "observed_on", "kind": "date", "label": "Date observed", "required": false}, {"id": "observation", "kind": "text", "label": "What was observed", "required": true, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now()),
    ('consultation-skills-y3', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s consultation-skills items through the forms API.", "questions": [{"id": "phases", "kind": "competency_rating", "label": "Rate each phase of the consultation", "required": true, "levels": [{"value": 1, "label": "Insufficient"}, {"value": 2, "label": "Developing"}, {"value": 3, "label": "At the expected level"}, {"value": 4, "label": "Beyond the expected level"}], "competencies": [{"value": "exploration", "label": "Exploring the request for help"}, {"value": "history", "label": "History taking"}, {"value": "examination", "label": "Physical examination"}, {"value": "assessment", "label": "Assessment"}, {"value": "plan", "label": "Shared plan"}, {"value": "closure", "label": "Closing the consultation"}]}, {"id": "overall", "kind": "rating", "label": "Overall judgement", "required": true, "levels": [{"value": 1, "label": "Not passed"}, {"value": 2, "label": "Passed"}]}, {"id": "feedback", "kind": "text", "label": "Feedback", "required": true, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now()),
    ('apc-basics-y1', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s items through the forms API.", "questions": [{"id": "skills", "kind": "competency_rating", "label": "Rate each basic skill", "required": true, "levels": [{"value": 1, "label": "Insufficient"}, {"value": 2, "label": "Developing"}, {"value": 3, "label": "At the expected level"}, {"value": 4, "label": "Beyond the expected level"}], "competencies": [{"value": "listening", "label": "Active listening"}, {"value": "summarising", "label": "Summarising"}, {"value": "empathy", "label": "Showing empathy"}, {"value": "structure", "label": "Structuring the consultation"}, {"value": "explaining", "label": "Explaining and checking understanding"}]}, {"id": "feedback", "kind": "text", "label": "Feedback", "required": false, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now()),
    ('progress-review', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s progress-review form through the forms API.", "questions": [{"id": "participants", "kind": "multiple_choice", "label": "Who took part", "required": true, "options": [{"value": "trainee", "label": "Trainee"}, {"value": "trainer", "label": "Trainer"}, {"value": "teacher", "label": "Teacher"}, {"value": "internship_supervisor", "label": "Internship supervisor"}]}, {"id": "progress", "kind": "competency_rating", "label": "Progress per competency", "required": true, "levels": [{"value": 1, "label": "Insufficient"}, {"value": 2, "label": "Developing"}, {"value": 3, "label": "At the expected level"}, {"value": 4, "label": "Beyond the expected level"}], "competencies": [{"value": "medical_expertise", "label": "Medical expertise (medisch handelen)"}, {"value": "communication", "label": "Communication"}, {"value": "collaboration", "label": "Collaboration (samenwerken)"}, {"value": "knowledge_and_science", "label": "Knowledge and science"}, {"value": "social_accountability", "label": "Social accountability (maatschappelijk handelen)"}, {"value": "organisation", "label": "Organisation"}, {"value": "professionalism", "label": "Professionalism"}]}, {"id": "learning_goals", "kind": "text", "label": "Learning goals for the next period", "required": true, "max_length": 5000}, {"id": "agreements", "kind": "text", "label": "Agreements", "required": false, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now()),
    ('progress-advice', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s form through the forms API.", "questions": [{"id": "advice", "kind": "single_choice", "label": "Advice", "required": true, "options": [{"value": "on_track", "label": "On track"}, {"value": "attention_needed", "label": "Needs attention"}, {"value": "concerns", "label": "Serious concerns"}]}, {"id": "rationale", "kind": "text", "label": "Rationale", "required": true, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now()),
    ('progress-decision', 1, 'production', '{"instructions": "EXAMPLE definition shipped with Dossier; replace it with the institute''s form through the forms API.", "questions": [{"id": "decision", "kind": "single_choice", "label": "Decision", "required": true, "options": [{"value": "continue", "label": "Continue training"}, {"value": "continue_with_conditions", "label": "Continue with conditions"}, {"value": "extend", "label": "Extend the training period"}, {"value": "stop", "label": "Stop the training"}]}, {"id": "rationale", "kind": "text", "label": "Rationale", "required": true, "max_length": 5000}, {"id": "conditions", "kind": "text", "label": "Conditions", "required": false, "max_length": 5000}]}', true, 'Example shipped with Dossier.', now(), now());
