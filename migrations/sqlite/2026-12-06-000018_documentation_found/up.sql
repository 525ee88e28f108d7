-- Documentation found by askers, visitors and moderators: its sections indexed by words (each
-- instance follows a source's revision) and by meaning (vectors written by the embedder), what
-- people did with each suggested section, and sources refreshed on a schedule by one instance.

-- Bumped by every refresh that changed a section: indexes re-read a source when it moves.
ALTER TABLE doc_sources ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
-- Refreshed again this many minutes after the last refresh; nothing: only on demand.
ALTER TABLE doc_sources ADD COLUMN refresh_every_minutes INTEGER;
-- The instance refreshing the source now, until when (a lease, as the mail queue has).
ALTER TABLE doc_sources ADD COLUMN lease_holder TEXT;
ALTER TABLE doc_sources ADD COLUMN lease_until TIMESTAMP;

-- A section's vector is replaced (new id) when its content changes, so every instance can
-- follow new rows by id.
CREATE TABLE doc_section_vectors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    section_id BIGINT NOT NULL REFERENCES doc_sections(id) ON DELETE CASCADE,
    -- The model's name and the start of its weights' SHA-256.
    model TEXT NOT NULL,
    -- The section's content hash when it was embedded.
    content_hash TEXT NOT NULL,
    -- Little-endian f32s, unit length.
    vector BLOB NOT NULL,
    UNIQUE (section_id, model)
);
CREATE INDEX doc_section_vectors_by_model ON doc_section_vectors (model, id);

-- What people did with a suggested section: shown (with a question asked anyway or a section
-- said to answer), opened, answered (the asker said it answers their question), asked_anyway,
-- answered_with (a moderator answered a question with it).
CREATE TABLE doc_section_uses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    section_id BIGINT NOT NULL REFERENCES doc_sections(id) ON DELETE CASCADE,
    event_id BIGINT REFERENCES events(id) ON DELETE SET NULL,
    question_id BIGINT REFERENCES questions(id) ON DELETE SET NULL,
    what TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX doc_section_uses_by_section ON doc_section_uses (section_id, what);
CREATE INDEX doc_section_uses_by_event ON doc_section_uses (event_id, what);
