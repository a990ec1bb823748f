-- Participants per team in each cohort, kept by enrolment. Team standings divide by it on every
-- board read; counting the cohort's enrolments each time was the costliest query of a read.
CREATE TABLE cohort_team_sizes (
    cohort_id    BIGINT NOT NULL REFERENCES cohorts (id),
    team_id      BIGINT NOT NULL REFERENCES teams (id),
    participants BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, team_id)
);

INSERT INTO cohort_team_sizes (cohort_id, team_id, participants)
SELECT cohort_id, team_id, COUNT(*) FROM enrolments
WHERE role = 'participant' AND team_id IS NOT NULL
GROUP BY cohort_id, team_id;
