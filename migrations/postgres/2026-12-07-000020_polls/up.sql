-- Polls of an event, drafted ahead and opened before or during the session.
CREATE TABLE polls (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- choice | rating | words | text | ranking
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    -- The options of a choice or ranking poll as a JSON array of strings; [] otherwise.
    options TEXT NOT NULL DEFAULT '[]',
    multiple BOOLEAN NOT NULL DEFAULT FALSE,
    -- A choice poll that also takes a short answer of the participant's own ("Other").
    other BOOLEAN NOT NULL DEFAULT FALSE,
    -- The top of a rating's scale (5 or 10); 0 for other kinds.
    scale INTEGER NOT NULL DEFAULT 0,
    -- What the ends of a rating's scale mean, as a JSON array of two strings.
    scale_labels TEXT,
    -- live | after_answer | on_reveal
    results TEXT NOT NULL,
    -- Words a word cloud leaves out, as a JSON array.
    banned_words TEXT NOT NULL DEFAULT '[]',
    -- draft | open | closed
    state TEXT NOT NULL DEFAULT 'draft',
    revealed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    opened_at TIMESTAMP,
    closed_at TIMESTAMP
);
CREATE INDEX polls_by_event ON polls (event_id);

-- One answer per voter identity and poll; answering again replaces it.
CREATE TABLE poll_answers (
    id BIGSERIAL PRIMARY KEY,
    poll_id BIGINT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    voter_hash TEXT NOT NULL,
    -- The answer as the API takes it: {"choices": [..]}, {"rating": n}, {"words": [..]},
    -- {"text": ".."} or {"ranking": [..]}.
    answer TEXT NOT NULL,
    -- shown | held (open text awaiting a moderator) | hidden
    status TEXT NOT NULL DEFAULT 'shown',
    -- The network it came from, kept only while bursts are judged (as a vote's).
    origin TEXT,
    automated BOOLEAN NOT NULL DEFAULT FALSE,
    discounted BOOLEAN NOT NULL DEFAULT FALSE,
    -- Up-votes of a shown open-text answer.
    votes INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (poll_id, voter_hash)
);

-- Up-votes of open-text answers, one per voter identity.
CREATE TABLE poll_answer_votes (
    id BIGSERIAL PRIMARY KEY,
    answer_id BIGINT NOT NULL REFERENCES poll_answers(id) ON DELETE CASCADE,
    voter_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (answer_id, voter_hash)
);
