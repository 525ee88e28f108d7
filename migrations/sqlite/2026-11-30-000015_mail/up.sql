-- Email addresses that asked to hear of a question (its asker's, or a voter's for the questions
-- they voted for in one event), and the queue of mail to them. An address is kept only until
-- nothing more will be sent to it: its question answered or not accepted, its event archived,
-- or the reader unsubscribed. The token, in every mail's links, confirms and unsubscribes.
CREATE TABLE mail_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- The asker's question; NULL for a voter's subscription to what they voted for.
    question_id BIGINT REFERENCES questions(id) ON DELETE CASCADE,
    voter_hash TEXT,
    token TEXT NOT NULL UNIQUE,
    confirmed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mail_subscriptions_by_question ON mail_subscriptions (question_id);
CREATE INDEX mail_subscriptions_by_event ON mail_subscriptions (event_id);
CREATE INDEX mail_subscriptions_by_email ON mail_subscriptions (email);
-- Mail waiting to be sent (what it tells, as JSON; made into a message when sent). A row goes
-- once it is sent or given up, and the address with it.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id BIGINT,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);
CREATE INDEX mail_outbox_by_subscription ON mail_outbox (subscription_id);
