-- Participants: sign-in links, sessions, API tokens, check-ins, replies, reports and moderation.
-- Keep it in step with ../sqlite/. Secrets (links, sessions, tokens) are stored only as SHA-256
-- hashes, so a copy of the database cannot be used to sign in.

-- A single-use emailed sign-in link.
CREATE TABLE signin_links (
    token_hash TEXT PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX signin_links_by_person ON signin_links (person_id, created_at);

-- A browser session: the cookie holds the token, this table its hash and the form (CSRF) token.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_person ON sessions (person_id);

-- A bearer token for the JSON API, created and revoked by its owner.
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_by_person ON api_tokens (person_id);

-- "How was your shift", 1 to 5, optional.
ALTER TABLE submissions ADD COLUMN checkin BIGINT CHECK (checkin BETWEEN 1 AND 5);

-- Moderation of reflections by a change lead: hidden, with a reason.
ALTER TABLE reflections ADD COLUMN hidden_at BIGINT;
ALTER TABLE reflections ADD COLUMN hidden_by BIGINT REFERENCES people (id);
ALTER TABLE reflections ADD COLUMN hidden_reason TEXT;
-- The feed reads newest first within a cohort; these columns are copied from the submission so
-- one index serves the keyset pagination.
ALTER TABLE reflections ADD COLUMN cohort_id BIGINT REFERENCES cohorts (id);
ALTER TABLE reflections ADD COLUMN day BIGINT;
ALTER TABLE reflections ADD COLUMN person_id BIGINT REFERENCES people (id);
CREATE INDEX reflections_feed ON reflections (cohort_id, created_at, id);
CREATE INDEX reflections_feed_by_day ON reflections (cohort_id, day, created_at, id);

CREATE TABLE replies (
    id            BIGSERIAL PRIMARY KEY,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id),
    person_id     BIGINT NOT NULL REFERENCES people (id),
    body          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    hidden_at     BIGINT,
    hidden_by     BIGINT REFERENCES people (id),
    hidden_reason TEXT,
    UNIQUE (person_id, idempotency_key)
);
CREATE INDEX replies_by_reflection ON replies (reflection_id, created_at);

-- A participant's report of a reflection or a reply, for a change lead to look at.
CREATE TABLE reports (
    id            BIGSERIAL PRIMARY KEY,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id),
    reply_id      BIGINT REFERENCES replies (id),
    person_id     BIGINT NOT NULL REFERENCES people (id),
    reason        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    resolved_at   BIGINT
);
-- One report per person and item (a reply, or the reflection itself when reply_id is NULL).
CREATE UNIQUE INDEX reports_once ON reports (reflection_id, COALESCE(reply_id, 0), person_id);
