-- Sentence vectors of questions, written by the background embedder. A row is replaced (new id)
-- whenever its vector or its owner changes, so every instance can follow new rows by id.
CREATE TABLE embeddings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    -- The question the vector counts for: itself, or the one it is merged into.
    owner_id BIGINT NOT NULL,
    -- The model's name and the start of its weights' SHA-256.
    model TEXT NOT NULL,
    -- SHA-256 of the text embedded: an edit shows as a different hash.
    text_hash TEXT NOT NULL,
    -- Little-endian f32s, unit length.
    vector BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (question_id, model)
);
CREATE INDEX embeddings_by_model ON embeddings (model, id);
