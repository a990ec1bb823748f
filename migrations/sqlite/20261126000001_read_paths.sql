-- Indexes for the paths a participant walks at the end of a shift, found by the HTTP benchmark
-- (benches/http.rs) on a cohort of 10,000 people with 100,000 reflections.

-- A person's own reflections (Today, My journey) and their reflection count (badges).
CREATE INDEX reflections_by_person ON reflections (cohort_id, person_id, day);

-- Who completed a day, in the order they did: "first in the team" and team-day badges.
CREATE INDEX submissions_by_day ON submissions (cohort_id, day, submitted_at, id);

-- What one submission earned (the page after a submission, Today).
CREATE INDEX points_by_submission ON points_ledger (submission_id);
CREATE INDEX badge_awards_by_submission ON badge_awards (submission_id);
