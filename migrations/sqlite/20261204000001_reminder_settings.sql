-- Reminder settings. A cohort sets when its end-of-window reminder goes (minutes before a day
-- closes; 0 sends none) and its default quiet hours ('HH:MM-HH:MM' in its time zone; '' for none);
-- a person may set quiet hours of their own per cohort. The outbox learns two kinds of message,
-- and a reminder is queued at most once per person, cohort, day and kind. Keep it in step with
-- ../postgres/.
ALTER TABLE cohorts ADD COLUMN closing_reminder_minutes BIGINT NOT NULL DEFAULT 120;
ALTER TABLE cohorts ADD COLUMN quiet_hours TEXT NOT NULL DEFAULT '21:00-07:00';

CREATE TABLE quiet_hours (
    person_id  BIGINT NOT NULL REFERENCES people (id),
    cohort_id  BIGINT NOT NULL REFERENCES cohorts (id),
    hours      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, cohort_id)
);

-- SQLite cannot change a CHECK in place: the outbox is copied into a table with the new one.
CREATE TABLE outbox_next (
    id            INTEGER PRIMARY KEY,
    -- 'signin', 'released', 'closing' (the day closes soon and is not done) or 'digest' (a
    -- manager's weekly digest; its `day` is the last day it covers).
    kind          TEXT   NOT NULL CHECK (kind IN ('signin', 'released', 'closing', 'digest')),
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
