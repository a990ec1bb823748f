-- The weekly digest and the report alert. A cohort sets when its managers' digest goes: a day of
-- the week (1 Monday .. 7 Sunday) and a time ('HH:MM') in its time zone, by default Monday 06:00,
-- before the first briefing. The outbox learns 'reported' (a change lead's alert that a reflection
-- was reported). Keep it in step with ../sqlite/.
ALTER TABLE cohorts ADD COLUMN digest_weekday BIGINT NOT NULL DEFAULT 1
    CHECK (digest_weekday BETWEEN 1 AND 7);
ALTER TABLE cohorts ADD COLUMN digest_at TEXT NOT NULL DEFAULT '06:00';

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('signin', 'released', 'closing', 'digest', 'reported'));
