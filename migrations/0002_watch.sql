-- Watch: sources and their fetch state, what each source last said (deprecation rows, feed items),
-- the notices that changes produce, and survey reports by members.

-- A source is fetched once however many communities use it. Built-in sources come from the catalogue
-- file and serve every community unless it mutes them; a community can add its own.
CREATE TABLE sources (
    id                INTEGER PRIMARY KEY,
    catalog_key       TEXT UNIQUE,     -- set for built-in sources
    kind              TEXT NOT NULL CHECK (kind IN ('feed', 'page')),
    category          TEXT NOT NULL CHECK (category IN ('deprecation', 'survey', 'news', 'status')),
    url               TEXT NOT NULL UNIQUE,
    family            TEXT,            -- page extractor family, or 'aggregator' for a feed mapped to rows
    vendor            TEXT,
    platform          TEXT,
    title             TEXT NOT NULL DEFAULT '',
    poll_interval     INTEGER NOT NULL DEFAULT 3600,  -- seconds
    state             TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'failing', 'disabled')),
    etag              TEXT,
    last_modified     TEXT,
    content_hash      TEXT,            -- of the last body read: an unchanged page is not parsed again
    baseline_done     INTEGER NOT NULL DEFAULT 0,     -- the first read only records what is there
    failures          INTEGER NOT NULL DEFAULT 0,     -- consecutive
    last_error        TEXT,            -- readable, shown to moderators
    failing_notified  INTEGER NOT NULL DEFAULT 0,
    last_checked_at   TEXT,
    last_success_at   TEXT,
    next_check_at     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

CREATE TABLE community_sources (
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    muted        INTEGER NOT NULL DEFAULT 0,  -- 1: a built-in source this community does not want
    added_by     TEXT,                        -- pseudonym
    created_at   TEXT NOT NULL,
    PRIMARY KEY (community_id, source_id)
);

-- The current word on each model on each platform, whichever source said it last.
CREATE TABLE deprecations (
    id                 INTEGER PRIMARY KEY,
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
    source_id          INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    missing_polls      INTEGER NOT NULL DEFAULT 0,    -- consecutive polls of its source without it
    removed            INTEGER NOT NULL DEFAULT 0,
    first_seen_at      TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (vendor, platform, model, version)
);
CREATE INDEX deprecations_by_shutdown ON deprecations (shutdown);

CREATE TABLE feed_items (
    source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    item_id       TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    title         TEXT NOT NULL,
    link          TEXT,
    published     TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (source_id, item_id)
);

-- Something worth telling people. `dedup_key` makes "one real event, one notice" and "no reminder
-- twice" a property of the database, not of the code's care.
CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,   -- new_deprecation, date_changed, status_changed, date_firm, model_listed,
                                  -- news, status, status_update, survey, reminder, source_failing
    category     TEXT NOT NULL CHECK (category IN ('deprecation', 'reminder', 'survey', 'news', 'status')),
    source_id    INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    community_id INTEGER REFERENCES communities (id) ON DELETE CASCADE,  -- NULL: for every community using the source
    vendor       TEXT,
    platform     TEXT,
    model        TEXT,
    title        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    url          TEXT,
    old_value    TEXT,
    new_value    TEXT,
    due_date     TEXT,            -- shutdown date or survey deadline
    models       TEXT NOT NULL DEFAULT '[]',  -- model ids it concerns (JSON), for matching subscriptions
    dedup_key    TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL
);
CREATE INDEX notices_by_time ON notices (created_at);

CREATE TABLE survey_reports (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    deadline     TEXT,
    note         TEXT NOT NULL DEFAULT '',
    reporter     TEXT NOT NULL,   -- pseudonym
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reviewer     TEXT,            -- pseudonym
    reviewed_at  TEXT,
    notice_id    INTEGER REFERENCES notices (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (community_id, url)
);
