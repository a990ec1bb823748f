-- Anonymity that holds against an observer of every board (src/app/anonymity.rs explains it).
-- Keep it in step with ../sqlite/.

-- A reflection's public id: random, so its order tells nothing of when it was written (the row
-- id does, and set beside the boards' timing it named anonymous authors). Below 2^53 so a
-- JavaScript client reads it exactly.
ALTER TABLE reflections ADD COLUMN handle BIGINT;
-- Where it sits in the feed: when it was written for a named reflection, when its batch was
-- published for an anonymous one (NULL until then, and for a private one).
ALTER TABLE reflections ADD COLUMN shown_at BIGINT;
-- 1 once it has ever been shared with the author's name (cohort or team): such a reflection
-- does not count towards the crowd an anonymous one hides in.
ALTER TABLE reflections ADD COLUMN named BIGINT NOT NULL DEFAULT 0;

UPDATE reflections SET
    handle = CAST(floor(random() * 9007199254740990) AS BIGINT) + 1,
    shown_at = CASE WHEN visibility = 'private' THEN NULL ELSE created_at END,
    named = CASE WHEN visibility IN ('cohort', 'team') THEN 1 ELSE 0 END;

CREATE UNIQUE INDEX reflections_by_handle ON reflections (handle);
DROP INDEX reflections_feed;
DROP INDEX reflections_feed_by_day;
CREATE INDEX reflections_feed ON reflections (cohort_id, shown_at, handle);
CREATE INDEX reflections_feed_by_day ON reflections (cohort_id, day, shown_at, handle);
-- The anonymous reflections waiting for their batch, which the publisher looks for every few
-- seconds: a handful of rows, whatever the size of the feed.
CREATE INDEX reflections_waiting ON reflections (cohort_id, day)
    WHERE visibility = 'anonymous' AND shown_at IS NULL;

-- A reply the author of an anonymous reflection wrote to it without their name.
ALTER TABLE replies ADD COLUMN as_author BIGINT NOT NULL DEFAULT 0;

-- A digest of what a submission's first request asked for: the same idempotency key with
-- another request is refused rather than answered as if it had been stored ('' before this).
ALTER TABLE submissions ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';

-- How many people an anonymous author hides among, at least (the cohort's setting).
ALTER TABLE cohorts ADD COLUMN anonymity_k BIGINT NOT NULL DEFAULT 5 CHECK (anonymity_k >= 5);

-- Each publication of a cohort's day's anonymous reflections: the next one counts the crowd
-- among the reflections written since the last.
CREATE TABLE anonymous_batches (
    cohort_id    BIGINT NOT NULL REFERENCES cohorts (id),
    day          BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    reflections  BIGINT NOT NULL,
    crowd        BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, day, published_at)
);
