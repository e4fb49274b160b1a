-- Interprofessional education (domain rule 3): activities with sessions, enrollment with a
-- waitlist, attendance, and the events the digest mail announces. What must hold under
-- concurrent requests is the database's to enforce:
-- * an activity's `enrolled` counter is kept by a trigger on its enrollments and checked
--   against its capacity, so no interleaving of requests can over-fill it;
-- * one live (enrolled or waitlisted) enrollment per trainee and activity, by a partial unique index;
-- * the sessions of an activity never overlap, by an exclusion constraint.
-- The service takes the activity's row lock before it enrols, cancels or promotes, so the
-- waitlist order (`queue`, from a sequence drawn under that lock) is the order of arrival.
ALTER TABLE evaluations DROP CONSTRAINT evaluations_subject_kind_check;
ALTER TABLE evaluations ADD CONSTRAINT evaluations_subject_kind_check CHECK (
    subject_kind IN ('education_moment', 'module', 'internship', 'trainer', 'ipo_activity'));

CREATE TABLE ipo_activities (
    id                        uuid        PRIMARY KEY,
    title                     text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description               text        NOT NULL CHECK (length(description) <= 10000),
    partner_professions       text[]      NOT NULL CHECK (cardinality(partner_professions) <= 20),
    kind                      text        NOT NULL CHECK (kind IN ('mandatory_module', 'elective')),
    capacity                  integer     NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    enrolled                  integer     NOT NULL DEFAULT 0,
    waitlisted                integer     NOT NULL DEFAULT 0 CHECK (waitlisted >= 0),
    enrollment_opens_at       timestamptz NOT NULL,
    enrollment_closes_at      timestamptz NOT NULL,
    cancellation_deadline     timestamptz NOT NULL,
    counts_toward_requirement boolean     NOT NULL,
    waitlist_rule             text        NOT NULL CHECK (waitlist_rule IN ('first_come', 'requirement_first')),
    evaluation_form_key       text        REFERENCES forms (key),
    evaluation_id             uuid        REFERENCES evaluations (id) ON DELETE SET NULL,
    -- The first session's start and the last one's end, kept with the sessions they summarise.
    starts_at                 timestamptz NOT NULL,
    ends_at                   timestamptz NOT NULL,
    cancelled_at              timestamptz,
    cancellation_reason       text        CHECK (cancellation_reason IS NULL OR length(cancellation_reason) BETWEEN 1 AND 2000),
    version                   bigint      NOT NULL DEFAULT 1,
    created_by                uuid        REFERENCES people (id) ON DELETE SET NULL,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    CONSTRAINT ipo_activities_capacity_holds CHECK (enrolled BETWEEN 0 AND capacity),
    CHECK (enrollment_closes_at > enrollment_opens_at),
    CHECK (enrollment_closes_at <= starts_at),
    CHECK (cancellation_deadline <= starts_at),
    CHECK (ends_at > starts_at),
    CHECK ((cancelled_at IS NULL) = (cancellation_reason IS NULL))
);
CREATE INDEX ipo_activities_starts ON ipo_activities (starts_at);

CREATE TABLE ipo_sessions (
    id          uuid        PRIMARY KEY,
    activity_id uuid        NOT NULL REFERENCES ipo_activities (id) ON DELETE CASCADE,
    number      smallint    NOT NULL CHECK (number BETWEEN 1 AND 50),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    site        text        NOT NULL CHECK (site IN ('leiden', 'den_haag', 'online')),
    UNIQUE (activity_id, number),
    CHECK (ends_at > starts_at),
    CONSTRAINT ipo_sessions_no_overlap EXCLUDE USING gist (activity_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);

CREATE SEQUENCE ipo_queue;

-- Only trainees enrol; the profile's purge (retention) takes their enrollments with it.
CREATE TABLE ipo_enrollments (
    id               uuid        PRIMARY KEY,
    activity_id      uuid        NOT NULL REFERENCES ipo_activities (id) ON DELETE CASCADE,
    person_id        uuid        NOT NULL REFERENCES trainee_profiles (person_id) ON DELETE CASCADE,
    status           text        NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled', 'declined')),
    queue            bigint      NOT NULL DEFAULT nextval('ipo_queue'),
    -- Moved back from a seat when the capacity was lowered: first on the waitlist, whatever the rule.
    returned         boolean     NOT NULL DEFAULT false,
    requested_at     timestamptz NOT NULL,
    enrolled_at      timestamptz,
    promoted_at      timestamptz,
    promotion_reason text        CHECK (promotion_reason IS NULL OR length(promotion_reason) <= 500),
    ended_at         timestamptz,
    end_reason       text        CHECK (end_reason IS NULL OR length(end_reason) BETWEEN 1 AND 2000),
    requested_by     uuid        REFERENCES people (id) ON DELETE SET NULL,
    ended_by         uuid        REFERENCES people (id) ON DELETE SET NULL,
    CHECK ((status = 'enrolled') = (enrolled_at IS NOT NULL) OR status IN ('cancelled', 'declined')),
    CHECK ((status IN ('cancelled', 'declined')) = (ended_at IS NOT NULL)),
    CHECK (status <> 'declined' OR promoted_at IS NOT NULL)
);
CREATE UNIQUE INDEX ipo_enrollments_once ON ipo_enrollments (activity_id, person_id)
    WHERE status IN ('enrolled', 'waitlisted');
CREATE INDEX ipo_enrollments_person ON ipo_enrollments (person_id, id);
CREATE INDEX ipo_enrollments_activity ON ipo_enrollments (activity_id, id);

CREATE FUNCTION ipo_enrollment_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seats integer := 0;
    waiting integer := 0;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        seats := seats - (OLD.status = 'enrolled')::integer;
        waiting := waiting - (OLD.status = 'waitlisted')::integer;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        seats := seats + (NEW.status = 'enrolled')::integer;
        waiting := waiting + (NEW.status = 'waitlisted')::integer;
    END IF;
    IF seats <> 0 OR waiting <> 0 THEN
        UPDATE ipo_activities SET enrolled = enrolled + seats, waitlisted = waitlisted + waiting
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.activity_id ELSE NEW.activity_id END;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ipo_enrollment_counts AFTER INSERT OR UPDATE OF status OR DELETE ON ipo_enrollments
    FOR EACH ROW EXECUTE FUNCTION ipo_enrollment_counts();

CREATE TABLE ipo_attendance (
    session_id    uuid        NOT NULL REFERENCES ipo_sessions (id) ON DELETE CASCADE,
    enrollment_id uuid        NOT NULL REFERENCES ipo_enrollments (id) ON DELETE CASCADE,
    attended      boolean     NOT NULL,
    recorded_by   uuid        REFERENCES people (id) ON DELETE SET NULL,
    recorded_at   timestamptz NOT NULL,
    PRIMARY KEY (session_id, enrollment_id)
);
CREATE INDEX ipo_attendance_enrollment ON ipo_attendance (enrollment_id);

-- What the digest mail announces once: a promotion (to its trainee), a cancelled activity and a
-- freed seat nobody was waiting for. Identifiers and the recorded reason only.
CREATE TABLE ipo_events (
    id          uuid        PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('promoted', 'activity_cancelled', 'seat_freed', 'moved_to_waitlist')),
    activity_id uuid        NOT NULL REFERENCES ipo_activities (id) ON DELETE CASCADE,
    person_id   uuid        REFERENCES trainee_profiles (person_id) ON DELETE CASCADE,
    detail      text        NOT NULL CHECK (length(detail) <= 2500)
);
CREATE INDEX ipo_events_occurred ON ipo_events (occurred_at, id);
