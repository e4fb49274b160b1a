-- How often each person wants the digest mail (issue 16): daily, weekly on a weekday, or off, at a
-- local time in their own time zone. A person without a row gets their role's default.
CREATE TABLE digest_preferences (
    person_id  uuid        PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    frequency  text        NOT NULL CHECK (frequency IN ('daily', 'weekly', 'off')),
    -- ISO 8601: 1 is Monday.
    weekday    smallint    CHECK (weekday BETWEEN 1 AND 7),
    send_time  time        NOT NULL,
    time_zone  text        NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    updated_at timestamptz NOT NULL,
    CHECK ((frequency = 'weekly') = (weekday IS NOT NULL))
);
