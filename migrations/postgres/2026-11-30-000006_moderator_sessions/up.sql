-- Signed-in sessions of moderators, so that signing out (or being signed out) ends a session for
-- good, even for a copy of its cookie. Only a hash of the session's secret is kept.
CREATE TABLE moderator_sessions (
    id BIGSERIAL PRIMARY KEY,
    moderator_id BIGINT NOT NULL REFERENCES moderators(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    -- What the browser said it was, shortened, and where it signed in from: for the account page.
    user_agent TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX moderator_sessions_by_moderator ON moderator_sessions (moderator_id);
