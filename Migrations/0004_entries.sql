-- Portfolio entries (reflections, learning goals, cases, ...) and the feedback supervisors leave
-- on them. A draft (shared = false) is the trainee's alone; content limits are enforced here too.
CREATE TABLE entries (
    id           uuid        PRIMARY KEY,
    portfolio_id uuid        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('reflection', 'learning_goal', 'case', 'meeting_note', 'certificate', 'other')),
    title        text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body         text        NOT NULL CHECK (octet_length(body) <= 100000),
    tags         text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 50),
    activities   text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(activities) <= 50),
    shared       boolean     NOT NULL DEFAULT false,
    version      bigint      NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX entries_portfolio ON entries (portfolio_id, id);

CREATE TABLE entry_comments (
    id         uuid        PRIMARY KEY,
    entry_id   uuid        NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    author_id  uuid        NOT NULL REFERENCES people (id),
    body       text        NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at timestamptz NOT NULL
);
CREATE INDEX entry_comments_entry ON entry_comments (entry_id, id);
