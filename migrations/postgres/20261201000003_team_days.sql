-- How many members of a team completed each day, kept by the database as submissions arrive.
-- Every first completion asks whether it completed its team's day; counting the team's
-- submissions of the day for that visited every one of them (most of a team's day's rows are
-- too new to be read from the index alone): most of the badge facts' cost in teams of 200.
-- Keep it in step with ../sqlite/.
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

-- Once per statement, over the rows it inserted: a batch of submissions is one upsert per team
-- and day rather than one per row. Submissions are never deleted, nor moved between teams.
CREATE FUNCTION count_team_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO team_days (cohort_id, team_id, day, completions)
    SELECT cohort_id, team_id, day, COUNT(*) FROM inserted
    WHERE team_id IS NOT NULL GROUP BY cohort_id, team_id, day
    ON CONFLICT (cohort_id, team_id, day)
    DO UPDATE SET completions = team_days.completions + excluded.completions;
    RETURN NULL;
END;
$$;

CREATE TRIGGER submissions_count_team_days AFTER INSERT ON submissions
REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION count_team_days();
