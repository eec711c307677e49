-- The spine: communities and their settings, people's own preferences, and an audit log.
-- People appear only as pseudonyms (an HMAC of platform and user id); raw platform ids of people are
-- never stored. Communities keep their platform id because it is how the bot addresses them.

CREATE TABLE communities (
    id             INTEGER PRIMARY KEY,
    platform       TEXT NOT NULL CHECK (platform IN ('discord', 'telegram', 'console')),
    external_id    TEXT NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    locale         TEXT,            -- NULL: the DEFAULT_LOCALE setting
    moderator_role TEXT,            -- Discord role name or id; NULL: the MODERATOR_ROLE setting
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE people (
    pseudonym  TEXT PRIMARY KEY,
    locale     TEXT,                -- NULL: follow the language of the person's app
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER REFERENCES communities (id) ON DELETE CASCADE,
    actor        TEXT NOT NULL,     -- a pseudonym, or 'system'
    action       TEXT NOT NULL,     -- e.g. 'community.locale_set'
    detail       TEXT NOT NULL DEFAULT '{}',  -- JSON; never message text
    created_at   TEXT NOT NULL
);

CREATE INDEX audit_log_by_community ON audit_log (community_id, created_at);
CREATE INDEX audit_log_by_actor ON audit_log (actor);
