-- Sign-in requests counted per address and per client in fixed 15-minute windows, so that a
-- limit holds however many requests arrive at once and on however many servers: one conditional
-- upsert per request counts it or refuses it. Keys are SHA-256 hashes, so neither an address that
-- is not enrolled nor a client's network address is stored in the clear. Keep it in step with
-- ../postgres/.
CREATE TABLE signin_requests (
    key          TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    requests     BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX signin_requests_by_window ON signin_requests (window_start);
