-- Managers' team page and named briefing links. Keep it in step with ../sqlite/.

-- A team's shift check-in is shown only as the team's average of a day, and only when at least
-- this many of the team answered that day (never per person).
ALTER TABLE cohorts ADD COLUMN checkin_crowd BIGINT NOT NULL DEFAULT 5 CHECK (checkin_crowd >= 3);

-- A read-only briefing link has a name people chose ("Briefing room, Ladywood") and records
-- when a screen last opened it.
ALTER TABLE briefing_links ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE briefing_links ADD COLUMN last_used_at BIGINT;

-- The outbox learns 'encourage' (a manager's word of encouragement to a member who has not done
-- the day yet; `sender_id` is the manager), at most once per member, cohort and day.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('signin', 'released', 'closing', 'digest', 'reported', 'encourage'));
ALTER TABLE outbox ADD COLUMN sender_id BIGINT REFERENCES people (id);
DROP INDEX outbox_once;
CREATE UNIQUE INDEX outbox_once ON outbox (person_id, cohort_id, day, kind)
    WHERE kind IN ('closing', 'digest', 'encourage');
