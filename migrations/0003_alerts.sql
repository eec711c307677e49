-- Alerts: where notices go (subscriptions of channels and chats, personal pings) and the durable outbox
-- of deliveries. A notice is routed once: its deliveries and its `routed_at` are written in one
-- transaction, so a crash either routes it whole or not at all, and the next start finishes the job.

ALTER TABLE notices ADD COLUMN routed_at TEXT;     -- NULL: not yet turned into deliveries
ALTER TABLE notices ADD COLUMN posted_by TEXT;     -- pseudonym of the moderator who posted it by hand
-- Notices stored before alerts existed are history, not news: they are not sent on upgrade.
UPDATE notices SET routed_at = created_at;
CREATE INDEX notices_unrouted ON notices (id) WHERE routed_at IS NULL;

-- A channel, thread, chat or forum topic that receives a community's notices.
CREATE TABLE subscriptions (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    platform       TEXT NOT NULL CHECK (platform IN ('discord', 'telegram', 'console')),
    channel_id     TEXT NOT NULL,
    thread_id      TEXT NOT NULL DEFAULT '',        -- a Telegram forum topic; '' for none
    categories     TEXT NOT NULL DEFAULT '[]',      -- JSON list; empty: every category
    vendors        TEXT NOT NULL DEFAULT '[]',      -- JSON list; empty: every vendor
    models         TEXT NOT NULL DEFAULT '[]',      -- JSON list of patterns; empty: every model
    mention_role   TEXT,                            -- Discord role id to mention; nobody else ever is
    digest_minutes INTEGER NOT NULL DEFAULT 0,      -- 0: each notice at once; else one message per window
    locale         TEXT NOT NULL DEFAULT 'en',
    paused_at      TEXT,
    paused_reason  TEXT,                            -- readable, shown by /alerts list
    created_by     TEXT NOT NULL,                   -- pseudonym
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (platform, channel_id, thread_id)
);

-- A person who asked for direct messages. The platform account id is kept only while pings are on,
-- because it is the address; /alerts ping off deletes the row.
CREATE TABLE pings (
    id            INTEGER PRIMARY KEY,
    pseudonym     TEXT NOT NULL,
    platform      TEXT NOT NULL CHECK (platform IN ('discord', 'telegram', 'console')),
    address       TEXT NOT NULL,
    community_id  INTEGER REFERENCES communities (id) ON DELETE CASCADE,  -- whose sources; NULL: built-in only
    models        TEXT NOT NULL DEFAULT '[]',
    daily         INTEGER NOT NULL DEFAULT 0,       -- 1: one digest a day instead of each notice
    locale        TEXT NOT NULL DEFAULT 'en',
    paused_at     TEXT,
    paused_reason TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (platform, pseudonym)
);

-- The outbox: one row per notice and target. Times the workers compare are epoch seconds (REAL).
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    notice_id       INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    subscription_id INTEGER REFERENCES subscriptions (id) ON DELETE CASCADE,
    ping_id         INTEGER REFERENCES pings (id) ON DELETE CASCADE,
    platform        TEXT NOT NULL,
    digest          INTEGER NOT NULL DEFAULT 0,     -- 1: bundled with the target's other due digest deliveries
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    due_at          REAL NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease_until     REAL,                           -- while 'sending': after this, a crash is assumed
    batch_id        INTEGER,                        -- the deliveries sent as one message share it (and a nonce)
    parts_sent      INTEGER NOT NULL DEFAULT 0,     -- pieces of a split message already delivered
    message_id      TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    CHECK ((subscription_id IS NULL) <> (ping_id IS NULL)),
    UNIQUE (notice_id, subscription_id),
    UNIQUE (notice_id, ping_id)
);
CREATE INDEX deliveries_due ON deliveries (platform, state, due_at);
CREATE INDEX deliveries_by_batch ON deliveries (batch_id);
CREATE INDEX deliveries_by_ping ON deliveries (ping_id, created_at);
