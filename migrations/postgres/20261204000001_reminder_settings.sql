-- Reminder settings. A cohort sets when its end-of-window reminder goes (minutes before a day
-- closes; 0 sends none) and its default quiet hours ('HH:MM-HH:MM' in its time zone; '' for none);
-- a person may set quiet hours of their own per cohort. The outbox learns two kinds of message,
-- and a reminder is queued at most once per person, cohort, day and kind. Keep it in step with
-- ../sqlite/.
ALTER TABLE cohorts ADD COLUMN closing_reminder_minutes BIGINT NOT NULL DEFAULT 120;
ALTER TABLE cohorts ADD COLUMN quiet_hours TEXT NOT NULL DEFAULT '21:00-07:00';

CREATE TABLE quiet_hours (
    person_id  BIGINT NOT NULL REFERENCES people (id),
    cohort_id  BIGINT NOT NULL REFERENCES cohorts (id),
    hours      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, cohort_id)
);

-- 'signin', 'released', 'closing' (the day closes soon and is not done) or 'digest' (a manager's
-- weekly digest; its `day` is the last day it covers).
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('signin', 'released', 'closing', 'digest'));
CREATE UNIQUE INDEX outbox_once ON outbox (person_id, cohort_id, day, kind)
    WHERE kind IN ('closing', 'digest');
