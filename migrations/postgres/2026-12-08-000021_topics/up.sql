-- Topics across events: what a community keeps asking, grouped by meaning (or by words without
-- a model). Each grouping (the first, and every full regrouping) is one row, also how the
-- regrouping job is followed.
CREATE TABLE topic_groupings (
    id BIGSERIAL PRIMARY KEY,
    -- What questions were compared by: a model's tag, or 'words'.
    basis TEXT NOT NULL,
    -- running | done | failed
    state TEXT NOT NULL DEFAULT 'running',
    requested_by BIGINT REFERENCES moderators(id) ON DELETE SET NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    topic_count INTEGER NOT NULL DEFAULT 0,
    failure TEXT
);

CREATE TABLE topics (
    id BIGSERIAL PRIMARY KEY,
    -- The words that set the topic apart from the others, recomputed as it grows.
    words TEXT NOT NULL DEFAULT '',
    -- A moderator's name for it, kept through regroupings.
    custom_label TEXT,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    -- Set when a moderator merged this topic into another.
    merged_into BIGINT REFERENCES topics(id) ON DELETE SET NULL,
    -- The sum of its members' vectors (on the last grouping's basis) and how many there are:
    -- a new question is compared with sum / |sum| without reading every member again.
    centroid_sum BYTEA,
    centroid_size INTEGER NOT NULL DEFAULT 0,
    -- When a moderator listed it in the docs report as something to write documentation for.
    docs_wanted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Which topic each question is in. A pinned question was put there by a moderator (a merge or
-- a split) and stays there through regroupings.
CREATE TABLE topic_questions (
    question_id BIGINT PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    pinned BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX topic_questions_by_topic ON topic_questions (topic_id);

-- Which topic each search that found nothing is in.
CREATE TABLE topic_searches (
    miss_id BIGINT PRIMARY KEY REFERENCES search_misses(id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics(id) ON DELETE CASCADE
);
CREATE INDEX topic_searches_by_topic ON topic_searches (topic_id);

-- Which topic each shown open-text answer to a poll is in.
CREATE TABLE topic_poll_answers (
    answer_id BIGINT PRIMARY KEY REFERENCES poll_answers(id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics(id) ON DELETE CASCADE
);
CREATE INDEX topic_poll_answers_by_topic ON topic_poll_answers (topic_id);
