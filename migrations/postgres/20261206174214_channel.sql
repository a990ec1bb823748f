-- The team channel post, and reports to change leads as a kind of mail one can stop. A cohort may
-- name an incoming webhook of its team channel (Microsoft Teams or Slack): the morning summary of
-- each released day is posted there through the outbox, as a row with no person (kind
-- 'channel', at most one per cohort and day). The webhook URL is a secret (whoever has it can
-- post to the channel): it is stored as given because it must be used, never logged, and masked
-- where shown. A cohort's digest can be turned off: `digest_at` '' sends none. Keep it in step
-- with ../sqlite/.
CREATE TABLE cohort_channels (
    cohort_id   BIGINT PRIMARY KEY REFERENCES cohorts (id),
    webhook_url TEXT   NOT NULL,
    format      TEXT   NOT NULL CHECK (format IN ('teams', 'slack')),
    updated_at  BIGINT NOT NULL
);

ALTER TABLE outbox ALTER COLUMN person_id DROP NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('signin', 'released', 'closing', 'digest', 'reported', 'encourage',
                    'channel'));
ALTER TABLE outbox ADD CONSTRAINT outbox_person_check
    CHECK ((kind = 'channel') = (person_id IS NULL));
CREATE UNIQUE INDEX outbox_channel_once ON outbox (cohort_id, day) WHERE kind = 'channel';
