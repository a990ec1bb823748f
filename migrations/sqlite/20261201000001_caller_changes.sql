-- The callers' version: every write that changes what a signed-in caller is made of (a session
-- ended, an API token revoked, people enrolled, a cohort's pack pinned again) adds one to it in
-- its own transaction. Each server keeps callers in memory under the version it read them with
-- and reads the version at most once a second, instead of reading the caller on every request.
CREATE TABLE caller_changes (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

INSERT INTO caller_changes (id, version) VALUES (1, 0);
