-- The whole data model of DESIGN.md. Kept in parity with migrations/sqlite.
CREATE TABLE moderators (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'moderator',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMP,
    status TEXT NOT NULL DEFAULT 'open',
    premoderation BOOLEAN NOT NULL DEFAULT FALSE,
    recording_url TEXT,
    presenter_token_hash TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE labels (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (event_id, name)
);

CREATE TABLE questions (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    author_name TEXT,
    status TEXT NOT NULL,
    reject_reason TEXT,
    merged_into BIGINT REFERENCES questions(id),
    priority INTEGER NOT NULL DEFAULT 0,
    on_screen BOOLEAN NOT NULL DEFAULT FALSE,
    vote_count INTEGER NOT NULL DEFAULT 0,
    follow_token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX questions_by_event_status ON questions (event_id, status);
CREATE INDEX questions_by_merged_into ON questions (merged_into);

CREATE TABLE question_labels (
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    label_id BIGINT NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    PRIMARY KEY (question_id, label_id)
);

CREATE TABLE question_edits (
    id BIGSERIAL PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    moderator_id BIGINT REFERENCES moderators(id),
    previous_body TEXT NOT NULL,
    edited_at TIMESTAMP NOT NULL
);

CREATE TABLE votes (
    id BIGSERIAL PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    voter_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- One vote per voter per question; also finds a voter's votes.
    UNIQUE (voter_hash, question_id)
);
-- No index on question_id alone: every index costs each vote a random page write, and what would
-- use it (recounting a merged group, deleting a question) is rare.

CREATE TABLE answers (
    id BIGSERIAL PRIMARY KEY,
    question_id BIGINT NOT NULL UNIQUE REFERENCES questions(id) ON DELETE CASCADE,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    recording_offset_secs INTEGER,
    published BOOLEAN NOT NULL DEFAULT TRUE,
    answered_by BIGINT REFERENCES moderators(id),
    answered_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    reviewed_at TIMESTAMP
);

CREATE TABLE modlog (
    id BIGSERIAL PRIMARY KEY,
    moderator_id BIGINT REFERENCES moderators(id),
    action TEXT NOT NULL,
    event_id BIGINT REFERENCES events(id) ON DELETE CASCADE,
    question_id BIGINT REFERENCES questions(id) ON DELETE CASCADE,
    reason TEXT,
    before_value TEXT,
    after_value TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX modlog_by_event ON modlog (event_id, created_at);

CREATE TABLE changes (
    seq BIGSERIAL PRIMARY KEY,
    question_id BIGINT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);

CREATE TABLE search_misses (
    id BIGSERIAL PRIMARY KEY,
    query TEXT NOT NULL UNIQUE,
    count INTEGER NOT NULL DEFAULT 1,
    last_seen TIMESTAMP NOT NULL
);
