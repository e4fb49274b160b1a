-- Mail (issue 16, worker.md 6.5): the outbox is the mail queue. Every message that must go at most
-- once is a row with a key that cannot exist twice: a digest per person and period, a download
-- warning per portfolio and milestone, an invitation per invitation.
CREATE TABLE email_outbox (
    id              bigserial   PRIMARY KEY,
    -- 'digest:<person>:<period>', 'notice:download_closing:<portfolio>:T-30', 'invitation:<id>'
    idempotency_key text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    kind            text        NOT NULL CHECK (kind IN ('digest', 'download_closing', 'assessment_invitation')),
    -- The person it is for; NULL for an invitation to someone outside the institute.
    person_id       uuid        REFERENCES people (id) ON DELETE CASCADE,
    -- NULL once the row is pruned, with the message: an old row keeps only that it went.
    to_address      text        CHECK (length(to_address) <= 254),
    -- '<uuid@domain>', fixed when the row is made: every retry and a manual resend reuse it.
    message_id      text        NOT NULL UNIQUE CHECK (length(message_id) <= 250),
    -- The RFC 5322 bytes, rendered once when the row is made; a skipped digest has none.
    raw_message     bytea,
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'unknown')),
    -- How far the current attempt got: 'final_dot' is committed before the terminating dot is
    -- written, so a row found there after a crash may have been delivered and is never resent
    -- by itself.
    smtp_phase      text        NOT NULL DEFAULT 'none' CHECK (smtp_phase IN ('none', 'final_dot')),
    attempts        int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts    int         NOT NULL DEFAULT 8 CHECK (max_attempts > 0),
    -- Leases and retry times are the database's clock (they measure liveness), as for jobs.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_by       uuid,
    lease_until     timestamptz,
    last_error      text        CHECK (length(last_error) <= 2000),
    smtp_reply      text        CHECK (length(smtp_reply) <= 1000),
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    CHECK ((status = 'sending') = (locked_by IS NOT NULL AND lease_until IS NOT NULL))
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX email_outbox_leases ON email_outbox (lease_until) WHERE status = 'sending';
CREATE INDEX email_outbox_by_status ON email_outbox (status, id);
CREATE INDEX email_outbox_by_person ON email_outbox (person_id, created_at) WHERE person_id IS NOT NULL;
ALTER TABLE email_outbox SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);

-- Synchronous rejections per person (the Discourse model): a 5xx counts 2, a 4xx that used up
-- every attempt 1; at 4 or more within 30 days of the last one, no digest is planned.
CREATE TABLE mail_bounces (
    person_id      uuid        PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    score          int         NOT NULL CHECK (score >= 0),
    last_bounce_at timestamptz NOT NULL
);

-- One-click unsubscribe (RFC 8058) sets the frequency to off and says when; choosing a frequency
-- again subscribes again.
ALTER TABLE digest_preferences ADD COLUMN unsubscribed_at timestamptz;
