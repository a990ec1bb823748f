-- The weekly digest and the report alert. A cohort sets when its managers' digest goes: a day of
-- the week (1 Monday .. 7 Sunday) and a time ('HH:MM') in its time zone, by default Monday 06:00,
-- before the first briefing. The outbox learns 'reported' (a change lead's alert that a reflection
-- was reported). Keep it in step with ../postgres/.
ALTER TABLE cohorts ADD COLUMN digest_weekday BIGINT NOT NULL DEFAULT 1
    CHECK (digest_weekday BETWEEN 1 AND 7);
ALTER TABLE cohorts ADD COLUMN digest_at TEXT NOT NULL DEFAULT '06:00';

-- SQLite cannot change a CHECK in place: the outbox is copied into a table with the new one.
CREATE TABLE outbox_next (
    id            INTEGER PRIMARY KEY,
    kind          TEXT   NOT NULL
                  CHECK (kind IN ('signin', 'released', 'closing', 'digest', 'reported')),
    person_id     BIGINT NOT NULL REFERENCES people (id),
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
    last_error    TEXT
);
INSERT INTO outbox_next (id, kind, person_id, cohort_id, day, created_at, due_at, expires_at,
                         attempts, claimed_by, claimed_until, sent_at, failed_at, failure, last_error)
SELECT id, kind, person_id, cohort_id, day, created_at, due_at, expires_at,
       attempts, claimed_by, claimed_until, sent_at, failed_at, failure, last_error FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_claims ON outbox (claimed_by) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (cohort_id, failed_at) WHERE failed_at IS NOT NULL;
CREATE UNIQUE INDEX outbox_once ON outbox (person_id, cohort_id, day, kind)
    WHERE kind IN ('closing', 'digest');
