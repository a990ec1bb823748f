-- A reflection the safeguarding check sent back for review, kept for its author until the day
-- can no longer be completed, so nothing typed is lost if they leave the page. One per person,
-- cohort and day; only ever read by its author. Keep it in step with ../sqlite/.
CREATE TABLE drafts (
    cohort_id  BIGINT NOT NULL REFERENCES cohorts (id),
    person_id  BIGINT NOT NULL REFERENCES people (id),
    day        BIGINT NOT NULL,
    body       TEXT   NOT NULL,
    visibility TEXT   NOT NULL,
    checkin    BIGINT,
    saved_at   BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, person_id, day)
);
CREATE INDEX drafts_expiry ON drafts (expires_at);
