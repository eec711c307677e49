-- Provenance: every source keeps its own rows, so one community's source can never change what another
-- community is told. What a community reads as "the current word" on a model is chosen from these rows
-- when it is asked for (bot/store/deprecations.py: the catalogue's vendor pages, then its feeds, then the
-- community's own sources; never another community's).

CREATE TABLE deprecations_by_source (
    id                 INTEGER PRIMARY KEY,
    source_id          INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,  -- a removed source says nothing
    vendor             TEXT NOT NULL,
    platform           TEXT NOT NULL,
    model              TEXT NOT NULL,
    version            TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL,
    announced          TEXT,
    shutdown           TEXT,
    shutdown_qualifier TEXT NOT NULL DEFAULT 'tbd',
    replacements       TEXT NOT NULL DEFAULT '[]',   -- JSON list
    url                TEXT,
    missing_polls      INTEGER NOT NULL DEFAULT 0,    -- consecutive polls of its source without it
    removed            INTEGER NOT NULL DEFAULT 0,
    first_seen_at      TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (source_id, vendor, platform, model, version)
);

-- Rows without a source are what removed sources left behind: nobody states them any more, so they go.
INSERT INTO deprecations_by_source (source_id, vendor, platform, model, version, status, announced, shutdown,
                                    shutdown_qualifier, replacements, url, missing_polls, removed, first_seen_at,
                                    updated_at)
    SELECT source_id, vendor, platform, model, version, status, announced, shutdown, shutdown_qualifier,
           replacements, url, missing_polls, removed, first_seen_at, updated_at
    FROM deprecations WHERE source_id IS NOT NULL;

DROP TABLE deprecations;
ALTER TABLE deprecations_by_source RENAME TO deprecations;
CREATE INDEX deprecations_by_shutdown ON deprecations (shutdown);
CREATE INDEX deprecations_by_model ON deprecations (vendor, platform, model, version);

-- A shared row held only what its source said last, so a source may have lost rows to another that stated
-- the same model. Every source that yields rows reads its page again once, as a silent baseline, to state
-- all of its own rows: nothing is announced twice, and reminders keep counting from the stored dates.
UPDATE sources SET etag = NULL, last_modified = NULL, content_hash = NULL, baseline_done = 0, next_check_at = NULL
    WHERE kind = 'page' OR family = 'aggregator';
