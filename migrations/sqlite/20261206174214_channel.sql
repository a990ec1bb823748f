-- The team channel post, and reports to change leads as a kind of mail one can stop. A cohort may
-- name an incoming webhook of its team channel (Microsoft Teams or Slack): the morning summary of
-- each released day is posted there through the outbox, as a row with no person (kind
-- 'channel', at most one per cohort and day). The webhook URL is a secret (whoever has it can
-- post to the channel): it is stored as given because it must be used, never logged, and masked
-- where shown. A cohort's digest can be turned off: `digest_at` '' sends none. Keep it in step
-- with ../postgres/.
CREATE TABLE cohort_channels (
    cohort_id   BIGINT PRIMARY KEY REFERENCES cohorts (id),
    webhook_url TEXT   NOT NULL,
    format      TEXT   NOT NULL CHECK (format IN ('teams', 'slack')),
    updated_at  BIGINT NOT NULL
);

-- SQLite cannot change a column or a CHECK in place: the outbox is copied into a table where the
-- person is absent exactly for a channel post.
CREATE TABLE outbox_next (
    id            INTEGER PRIMARY KEY,
    kind          TEXT   NOT NULL
                  CHECK (kind IN ('signin', 'released', 'closing', 'digest', 'reported', 'encourage',
                                'channel')),
    person_id     BIGINT REFERENCES people (id),
    cohort_id     BIGINT REFERENCES cohorts (id),
    day           BIGINT,
    created_at    BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    expires_at    BIGINT,
    attempts      BIGINT NOT NULL DEFAULT 0,
    claimed_by    TEXT,
    claimed_until BIGINT,
    sent_at       BIGINT,
    failed_at     BIGINT,
    failure       TEXT,
    last_error    TEXT,
    sender_id     BIGINT REFERENCES people (id),
    CONSTRAINT outbox_person_check CHECK ((kind = 'channel') = (person_id IS NULL))
);
INSERT INTO outbox_next (id, kind, person_id, cohort_id, day, created_at, due_at, expires_at,
                         attempts, claimed_by, claimed_until, sent_at, failed_at, failure, last_error,
                         sender_id)
SELECT id, kind, person_id, cohort_id, day, created_at, due_at, expires_at,
       attempts, claimed_by, claimed_until, sent_at, failed_at, failure, last_error,
       sender_id FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_claims ON outbox (claimed_by) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (cohort_id, failed_at) WHERE failed_at IS NOT NULL;
CREATE UNIQUE INDEX outbox_once ON outbox (person_id, cohort_id, day, kind)
    WHERE kind IN ('closing', 'digest', 'encourage');
CREATE UNIQUE INDEX outbox_channel_once ON outbox (cohort_id, day) WHERE kind = 'channel';
