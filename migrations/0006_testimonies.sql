-- Testimonies: what a model means to a person and what its loss costs, given with explicit consent,
-- reviewed by their community's moderators, and theirs to edit and withdraw.
-- Authors are pseudonyms. The raw platform id needed to tell someone the outcome of a review lives only in
-- `testimony_contacts`, which /mydata delete empties. Withdrawal blanks every column that holds the
-- person's words and keeps a content-free tombstone, so counts stay honest about withdrawals.

-- A campaign: what testimonies are being gathered for. Every community has a default one (name '').
CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    name         TEXT NOT NULL COLLATE NOCASE,  -- "Save 4o" and "save 4o" are one campaign
    description  TEXT NOT NULL DEFAULT '',
    models       TEXT NOT NULL DEFAULT '[]',  -- JSON list of model names it is about
    closes_on    TEXT,                        -- ISO date; NULL: open until closed by hand
    created_by   TEXT NOT NULL,               -- pseudonym, or 'system' for the default campaign
    created_at   TEXT NOT NULL,
    UNIQUE (community_id, name)
);

CREATE TABLE testimonies (
    id                INTEGER PRIMARY KEY,
    receipt           TEXT NOT NULL UNIQUE,   -- the short id the person is given (e.g. T-7KQ2M9)
    community_id      INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    campaign_id       INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    author            TEXT NOT NULL,          -- pseudonym
    platform          TEXT NOT NULL CHECK (platform IN ('discord', 'telegram', 'console', 'import')),
    status            TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'approved', 'rejected', 'hidden', 'withdrawn')),
    -- The person's words (all NULL once withdrawn).
    models            TEXT,                   -- JSON list of model names, matched to known ids where possible
    models_text       TEXT,                   -- as typed, cleaned and redacted
    uses              TEXT,                   -- JSON list of values
    meaning           TEXT,                   -- cleaned and redacted
    asks              TEXT,                   -- JSON list of values
    display_name      TEXT,
    previous_meaning  TEXT,                   -- the approved text an edit replaced, for the moderator
    changed_fields    TEXT,                   -- JSON list: what an edit of an approved testimony changed
    redactions        TEXT,                   -- JSON {kind: count}: what intake removed (never the removed text)
    -- About the words, not the words.
    language          TEXT,                   -- declared by the person
    detected_language TEXT,                   -- found offline from the text
    imported          INTEGER NOT NULL DEFAULT 0,
    review_reason     TEXT,                   -- a rejection's reason, for the author
    reviewed_by       TEXT,                   -- pseudonym of the moderator
    reviewed_at       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    withdrawn_at      TEXT
);

CREATE INDEX testimonies_by_author ON testimonies (author, created_at);
CREATE INDEX testimonies_by_community ON testimonies (community_id, status, id);

-- Consent is a record: each choice (a new one on every edit that changes it), the text version shown, when.
CREATE TABLE consent_records (
    id           INTEGER PRIMARY KEY,
    testimony_id INTEGER NOT NULL REFERENCES testimonies (id) ON DELETE CASCADE,
    author       TEXT NOT NULL,               -- pseudonym
    level        INTEGER NOT NULL CHECK (level IN (0, 1, 2)),  -- 0 count only, 1 quote anonymously, 2 with name
    health       INTEGER NOT NULL CHECK (health IN (0, 1)),    -- passages on health or disability may be quoted
    text_version TEXT NOT NULL,               -- the version of the consent text the person read
    created_at   TEXT NOT NULL
);

CREATE INDEX consent_records_by_testimony ON consent_records (testimony_id, id);

-- Where to tell a person the outcome of a review: the only raw platform ids this feature keeps.
CREATE TABLE testimony_contacts (
    pseudonym  TEXT NOT NULL,
    platform   TEXT NOT NULL CHECK (platform IN ('discord', 'telegram')),
    address    TEXT NOT NULL,                 -- the platform's user id (their private chat)
    locale     TEXT NOT NULL DEFAULT 'en',
    created_at TEXT NOT NULL,
    PRIMARY KEY (pseudonym, platform)
);

-- A soft block: this person may not submit in this community. Moderators never learn who it is.
CREATE TABLE testimony_blocks (
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    pseudonym    TEXT NOT NULL,
    blocked_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (community_id, pseudonym)
);
