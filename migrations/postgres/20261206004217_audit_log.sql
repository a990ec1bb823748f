-- What change leads did to a cohort, for the change leads to read: who (NULL for the command
-- line), when, which action, and a short detail that never holds reflection text. A cohort's
-- edit_version moves with each admin write, so an edit prepared on an older version is refused
-- rather than overwriting another lead's. Keep it in step with ../sqlite/.
CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    cohort_id  BIGINT NOT NULL REFERENCES cohorts (id),
    person_id  BIGINT REFERENCES people (id),
    action     TEXT   NOT NULL,
    detail     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_by_cohort ON audit_log (cohort_id, created_at);

ALTER TABLE cohorts ADD COLUMN edit_version BIGINT NOT NULL DEFAULT 0;
