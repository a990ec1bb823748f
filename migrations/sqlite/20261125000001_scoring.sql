-- Scoring: rest days, the day a point belongs to, team badges and briefing-room links.
-- Keep it in step with ../postgres/.

-- Rest days a participant marks; the count is kept on the enrolment and capped there, so two
-- requests at once cannot take more than the pack allows.
CREATE TABLE rest_days (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    day       BIGINT NOT NULL,
    marked_at BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, person_id, day)
);
ALTER TABLE enrolments ADD COLUMN rest_days_used BIGINT NOT NULL DEFAULT 0;

-- The day a ledger row belongs to (the day completed, or the day of the reflection reacted to).
ALTER TABLE points_ledger ADD COLUMN day BIGINT;
CREATE INDEX points_by_time ON points_ledger (cohort_id, created_at);

-- A badge a whole team earned (e.g. everyone completed a day): once per team, badge and day.
CREATE TABLE team_badge_awards (
    id         INTEGER PRIMARY KEY,
    cohort_id  BIGINT NOT NULL REFERENCES cohorts (id),
    team_id    BIGINT NOT NULL REFERENCES teams (id),
    badge_id   TEXT NOT NULL,
    day        BIGINT NOT NULL,
    awarded_at BIGINT NOT NULL,
    UNIQUE (cohort_id, team_id, badge_id, day)
);

-- A read-only link for the briefing room's screen, made by a manager and revocable.
CREATE TABLE briefing_links (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    cohort_id  BIGINT NOT NULL REFERENCES cohorts (id),
    -- Comma-separated team ids shown, or empty for the whole cohort.
    team_ids   TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
