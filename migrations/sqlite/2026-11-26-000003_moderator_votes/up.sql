-- Moderators prioritise with a vote of their own, kept apart from the public's.
CREATE TABLE moderator_votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    moderator_id BIGINT NOT NULL REFERENCES moderators(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (question_id, moderator_id)
);
