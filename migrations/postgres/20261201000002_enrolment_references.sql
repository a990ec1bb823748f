-- Points, badges, submissions and reflections belong to an enrolment, so each row refers to it
-- with one composite reference instead of two separate ones to the cohort and the person. That
-- is stricter (only an enrolled person can earn) and, under load, cheaper: every reference is
-- checked by locking the row it names, and the separate reference to `cohorts` had every
-- submission's transaction lock the cohort's one row, from every writer at once (shared row
-- locks held by several transactions become multixacts). The enrolment's row is the person's
-- own. PostgreSQL only: SQLite checks references without locking rows, so its tables keep
-- theirs (changing them there means rebuilding each table). Nothing deletes enrolments.
ALTER TABLE submissions
    DROP CONSTRAINT submissions_cohort_id_fkey,
    DROP CONSTRAINT submissions_person_id_fkey,
    ADD CONSTRAINT submissions_enrolment_fkey
        FOREIGN KEY (cohort_id, person_id) REFERENCES enrolments (cohort_id, person_id);

ALTER TABLE reflections
    DROP CONSTRAINT reflections_cohort_id_fkey,
    DROP CONSTRAINT reflections_person_id_fkey,
    ADD CONSTRAINT reflections_enrolment_fkey
        FOREIGN KEY (cohort_id, person_id) REFERENCES enrolments (cohort_id, person_id);

ALTER TABLE points_ledger
    DROP CONSTRAINT points_ledger_cohort_id_fkey,
    DROP CONSTRAINT points_ledger_person_id_fkey,
    ADD CONSTRAINT points_ledger_enrolment_fkey
        FOREIGN KEY (cohort_id, person_id) REFERENCES enrolments (cohort_id, person_id);

ALTER TABLE badge_awards
    DROP CONSTRAINT badge_awards_cohort_id_fkey,
    DROP CONSTRAINT badge_awards_person_id_fkey,
    ADD CONSTRAINT badge_awards_enrolment_fkey
        FOREIGN KEY (cohort_id, person_id) REFERENCES enrolments (cohort_id, person_id);
