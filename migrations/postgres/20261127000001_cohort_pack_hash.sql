-- A digest of each cohort's pinned pack (SHA-256 of pack_json, hex), so a request can tell whether
-- the copy it decoded earlier is still current without reading the pack itself (about 45 KB).
-- Rows written before this column have '' and get their digest the first time they are read.
ALTER TABLE cohorts ADD COLUMN pack_hash TEXT NOT NULL DEFAULT '';
