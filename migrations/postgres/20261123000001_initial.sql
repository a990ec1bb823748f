-- muster's schema on PostgreSQL. Keep it in step with ../sqlite/: the same tables, columns and
-- constraints, differing only in how each backend spells identity columns.
-- Instants are BIGINT unix milliseconds and dates ISO TEXT, the types the sqlx Any driver decodes.

CREATE TABLE people (
    id           BIGSERIAL PRIMARY KEY,
    email        TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('participant', 'manager', 'change_lead')),
    created_at   BIGINT NOT NULL
);

CREATE TABLE teams (
    id   BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE team_managers (
    team_id   BIGINT NOT NULL REFERENCES teams (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (team_id, person_id)
);

CREATE TABLE cohorts (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    pack_id       TEXT NOT NULL,
    pack_version  TEXT NOT NULL,
    pack_json     TEXT NOT NULL,
    length_days   BIGINT NOT NULL CHECK (length_days > 0),
    start_date    TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    release_cron  TEXT NOT NULL,
    grace_minutes BIGINT NOT NULL CHECK (grace_minutes >= 0),
    created_at    BIGINT NOT NULL
);

CREATE TABLE enrolments (
    id          BIGSERIAL PRIMARY KEY,
    cohort_id   BIGINT NOT NULL REFERENCES cohorts (id),
    person_id   BIGINT NOT NULL REFERENCES people (id),
    team_id     BIGINT REFERENCES teams (id),
    role        TEXT NOT NULL CHECK (role IN ('participant', 'manager', 'change_lead')),
    enrolled_at BIGINT NOT NULL,
    UNIQUE (cohort_id, person_id)
);
CREATE INDEX enrolments_by_team ON enrolments (cohort_id, team_id);

-- One row per cohort and day, ever: the constraint that makes a release happen exactly once.
CREATE TABLE releases (
    id            BIGSERIAL PRIMARY KEY,
    cohort_id     BIGINT NOT NULL REFERENCES cohorts (id),
    day           BIGINT NOT NULL CHECK (day > 0),
    scheduled_for BIGINT NOT NULL,
    released_at   BIGINT NOT NULL,
    closes_at     BIGINT NOT NULL,
    pack_version  TEXT NOT NULL,
    day_json      TEXT NOT NULL,
    UNIQUE (cohort_id, day)
);

-- What a release sets in motion for each participant ("day 3 is open" messages), written in the
-- release's own transaction: one row per person and release, so nothing downstream fires twice.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    release_id BIGINT NOT NULL REFERENCES releases (id),
    person_id  BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    sent_at    BIGINT,
    UNIQUE (release_id, person_id)
);

CREATE TABLE submissions (
    id              BIGSERIAL PRIMARY KEY,
    cohort_id       BIGINT NOT NULL REFERENCES cohorts (id),
    person_id       BIGINT NOT NULL REFERENCES people (id),
    day             BIGINT NOT NULL,
    submitted_at    BIGINT NOT NULL,
    late            BIGINT NOT NULL DEFAULT 0,
    idempotency_key TEXT NOT NULL,
    UNIQUE (cohort_id, person_id, day),
    UNIQUE (person_id, idempotency_key)
);

CREATE TABLE reflections (
    id            BIGSERIAL PRIMARY KEY,
    submission_id BIGINT NOT NULL UNIQUE REFERENCES submissions (id),
    body          TEXT NOT NULL,
    visibility    TEXT NOT NULL CHECK (visibility IN ('cohort', 'team', 'private', 'anonymous')),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE reactions (
    id            BIGSERIAL PRIMARY KEY,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id),
    person_id     BIGINT NOT NULL REFERENCES people (id),
    kind          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    UNIQUE (reflection_id, person_id, kind)
);

CREATE TABLE points_ledger (
    id            BIGSERIAL PRIMARY KEY,
    cohort_id     BIGINT NOT NULL REFERENCES cohorts (id),
    person_id     BIGINT NOT NULL REFERENCES people (id),
    points        BIGINT NOT NULL,
    reason        TEXT NOT NULL,
    submission_id BIGINT REFERENCES submissions (id),
    reaction_id   BIGINT REFERENCES reactions (id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX points_by_person ON points_ledger (cohort_id, person_id);

CREATE TABLE badge_awards (
    id            BIGSERIAL PRIMARY KEY,
    cohort_id     BIGINT NOT NULL REFERENCES cohorts (id),
    person_id     BIGINT NOT NULL REFERENCES people (id),
    badge_id      TEXT NOT NULL,
    awarded_at    BIGINT NOT NULL,
    submission_id BIGINT REFERENCES submissions (id),
    UNIQUE (cohort_id, person_id, badge_id)
);

-- A lease that lets one `muster serve` process at a time run the scheduler. Correctness does not
-- rest on it (the releases constraint does); it keeps the others from doing the same work.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
