-- A person's memberships are read with their session on every page and API call; without this
-- index that read went through the whole cohort's enrolments.
CREATE INDEX enrolments_by_person ON enrolments (person_id);
