-- Attachments of portfolio entries, stored in PostgreSQL in chunks of at most 1 MiB so uploads
-- and downloads stream, deletion is transactional and backups are consistent.
CREATE TABLE attachments (
    id          uuid        PRIMARY KEY,
    entry_id    uuid        NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    file_name   text        NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    media_type  text        NOT NULL,
    size        bigint      NOT NULL CHECK (size >= 0),
    sha256      bytea       NOT NULL CHECK (length(sha256) = 32),
    crc32       bigint      NOT NULL CHECK (crc32 BETWEEN 0 AND 4294967295),
    uploaded_by uuid        NOT NULL REFERENCES people (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX attachments_entry ON attachments (entry_id, id);

CREATE TABLE attachment_chunks (
    attachment_id uuid    NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
    index         integer NOT NULL CHECK (index >= 0),
    data          bytea   NOT NULL CHECK (length(data) BETWEEN 1 AND 1048576),
    PRIMARY KEY (attachment_id, index)
);
-- Chunks are written once and read in order; TOAST compression gains nothing on media files.
ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
