-- The durable outbox: every email muster sends is first a row here, written in the transaction of
-- what caused it, and a sender (one per cluster, under the `outbox` lease) delivers it. A row says
-- what to send and to whom, not the text: links are made when the message is sent, so no live
-- secret waits in the table. Keep it in step with ../postgres/.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    -- 'signin' (a sign-in link) or 'released' (a day was released: a one-tap link to it).
    kind          TEXT   NOT NULL CHECK (kind IN ('signin', 'released')),
    person_id     BIGINT NOT NULL REFERENCES people (id),
    cohort_id     BIGINT REFERENCES cohorts (id),
    day           BIGINT,
    created_at    BIGINT NOT NULL,
    -- Not before: a retry's backoff, or the end of the person's quiet hours.
    due_at        BIGINT NOT NULL,
    -- Not after: a reminder not sent by then is dropped (the day has closed).
    expires_at    BIGINT,
    attempts      BIGINT NOT NULL DEFAULT 0,
    -- Which sender's batch holds the row, until when (a crashed sender's claims run out).
    claimed_by    TEXT,
    claimed_until BIGINT,
    sent_at       BIGINT,
    -- Given up: a permanent refusal (5xx, a bad address), or dropped unsent; `failure` says why.
    failed_at     BIGINT,
    failure       TEXT,
    last_error    TEXT
);
CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_claims ON outbox (claimed_by) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (cohort_id, failed_at) WHERE failed_at IS NOT NULL;

-- Who asked for no more of a kind of reminder in a cohort.
CREATE TABLE mail_unsubscribes (
    person_id  BIGINT NOT NULL REFERENCES people (id),
    cohort_id  BIGINT NOT NULL REFERENCES cohorts (id),
    kind       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, cohort_id, kind)
);

-- One-click unsubscribe links (RFC 8058), stored hashed, each good once.
CREATE TABLE unsubscribe_tokens (
    token_hash TEXT   PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id),
    cohort_id  BIGINT NOT NULL REFERENCES cohorts (id),
    kind       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    used_at    BIGINT
);
