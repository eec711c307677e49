-- Forms in progress: a person filling in a form over several steps (Discord modals, a Telegram
-- conversation, console prompts) loses nothing when the bot restarts between two steps.
-- Whose it is is a pseudonym; the community and channel are where the command was given, so the
-- form's submit acts there even when it is finished in a private chat.

CREATE TABLE forms_in_progress (
    id           INTEGER PRIMARY KEY,
    token        TEXT NOT NULL UNIQUE,     -- random; names the form in Discord custom ids and Telegram deep links
    pseudonym    TEXT NOT NULL,
    platform     TEXT NOT NULL CHECK (platform IN ('discord', 'telegram', 'console')),
    form_key     TEXT NOT NULL,            -- which form, e.g. 'survey.report'
    community_id INTEGER REFERENCES communities (id) ON DELETE CASCADE,
    channel_id   TEXT,
    thread_id    TEXT,
    moderator    INTEGER NOT NULL DEFAULT 0,  -- whether the person was a moderator there when they began
    locale       TEXT NOT NULL DEFAULT 'en',  -- the language it was asked in, for the expiry message
    answers      TEXT NOT NULL DEFAULT '{}',  -- JSON: field key -> answer so far
    step         INTEGER NOT NULL DEFAULT 0,  -- the next field (or Discord page) to ask
    expired      INTEGER NOT NULL DEFAULT 0,  -- answers already wiped; kept a while to say so politely
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    UNIQUE (pseudonym, platform)           -- one open form per person and platform
);

CREATE INDEX forms_in_progress_by_expiry ON forms_in_progress (expires_at);

-- What the survey-report form asks beyond the one-line command: who runs the survey, who may answer.
ALTER TABLE survey_reports ADD COLUMN organiser TEXT;
ALTER TABLE survey_reports ADD COLUMN audience TEXT NOT NULL DEFAULT '[]';  -- JSON list of values
