-- Roles are given per enrolment and hold in that cohort only: `enrolments.role` is a person's
-- role in a cohort, and a manager manages the team of their enrolment in that cohort and no
-- other. Before, `people.role` (taken from the first CSV that named someone, never updated) let
-- a change lead into every cohort, and `team_managers` (by team, in any cohort, never removed)
-- let a manager read a team's "my team only" reflections wherever a team had that name.
-- Keep in step with ../postgres/.
DROP TABLE team_managers;
ALTER TABLE people DROP COLUMN role;

-- A briefing link lives only while its maker may see what it shows: links made under the old
-- rights (a change lead outside their cohorts, a manager of several teams) end here. Enrolment
-- ends those of people whose role or team changes (store::briefing::revoke_beyond_rights).
UPDATE briefing_links SET revoked_at = CAST(strftime('%s', 'now') AS BIGINT) * 1000
WHERE revoked_at IS NULL AND NOT EXISTS (
    SELECT 1 FROM enrolments e
    WHERE e.cohort_id = briefing_links.cohort_id AND e.person_id = briefing_links.created_by
      AND (e.role = 'change_lead'
           OR (e.role = 'manager' AND briefing_links.team_ids = CAST(e.team_id AS TEXT))));
