-- The insights digest: moderators who asked for a short email each week or month (top topics,
-- gaps, rising), and each period's digest once made. A digest is made once per period for the
-- whole deployment: the unique period and start are how instances agree on who made it.
CREATE TABLE digest_subscriptions (
    moderator_id BIGINT PRIMARY KEY NOT NULL REFERENCES moderators(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    -- week | month
    period TEXT NOT NULL,
    -- In every digest's link to stop it.
    token TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE digests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    -- What it told, as JSON (also what the API lists).
    body TEXT NOT NULL,
    -- Whether anything was told: a period with no demand is recorded, not sent.
    sent BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (period, starts_at)
);
