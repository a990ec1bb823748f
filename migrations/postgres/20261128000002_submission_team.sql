-- The team a person was in when they completed a day. Team badges count a team's completions of
-- a day from this index instead of walking the team's enrolments, which cost 3.7 ms per
-- submission once most of a team had completed (the costliest statement under load). No
-- foreign key: checking one would lock the team's row in every submission's transaction.
ALTER TABLE submissions ADD COLUMN team_id BIGINT;

UPDATE submissions SET team_id = (
    SELECT e.team_id FROM enrolments e
    WHERE e.cohort_id = submissions.cohort_id AND e.person_id = submissions.person_id);

CREATE INDEX submissions_by_team_day ON submissions (cohort_id, team_id, day, submitted_at, id);
