-- Managers' team page and named briefing links. Keep it in step with ../postgres/.

-- A team's shift check-in is shown only as the team's average of a day, and only when at least
-- this many of the team answered that day (never per person).
ALTER TABLE cohorts ADD COLUMN checkin_crowd BIGINT NOT NULL DEFAULT 5 CHECK (checkin_crowd >= 3);

-- A read-only briefing link has a name people chose ("Briefing room, Ladywood") and records
-- when a screen last opened it.
ALTER TABLE briefing_links ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE briefing_links ADD COLUMN last_used_at BIGINT;

-- The outbox learns 'encourage' (a manager's word of encouragement to a member who has not done
-- the day yet; `sender_id` is the manager), at most once per member, cohort and day.
-- SQLite cannot change a CHECK in place: the outbox is copied into a table with the new one.
CREATE TABLE outbox_next (
    id            INTEGER PRIMARY KEY,
    kind          TEXT   NOT NULL
                  CHECK (kind IN ('signin', 'released', 'closing', 'digest', 'reported', 'encourage')),
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
    last_error    TEXT,
    sender_id     BIGINT REFERENCES people (id)
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
    WHERE kind IN ('closing', 'digest', 'encourage');
