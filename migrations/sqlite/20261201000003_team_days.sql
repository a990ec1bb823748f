-- How many members of a team completed each day, kept by the database as submissions arrive.
-- Every first completion asks whether it completed its team's day; counting the team's
-- submissions of the day for that visited every one of them. Keep it in step with ../postgres/
-- (which counts once per statement: SQLite has row triggers only).
CREATE TABLE team_days (
    cohort_id   BIGINT NOT NULL,
    team_id     BIGINT NOT NULL,
    day         BIGINT NOT NULL,
    completions BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, team_id, day)
);

INSERT INTO team_days (cohort_id, team_id, day, completions)
SELECT cohort_id, team_id, day, COUNT(*) FROM submissions
WHERE team_id IS NOT NULL GROUP BY cohort_id, team_id, day;

-- Submissions are never deleted, nor moved between teams.
CREATE TRIGGER submissions_count_team_days AFTER INSERT ON submissions
WHEN NEW.team_id IS NOT NULL
BEGIN
    INSERT INTO team_days (cohort_id, team_id, day, completions)
    VALUES (NEW.cohort_id, NEW.team_id, NEW.day, 1)
    ON CONFLICT (cohort_id, team_id, day) DO UPDATE SET completions = completions + 1;
END;
