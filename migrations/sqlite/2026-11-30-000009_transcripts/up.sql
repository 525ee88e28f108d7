-- An event's recording transcript: one per event (a new upload replaces it), its cues in time
-- order as plain text with the speaker when the file named one.
CREATE TABLE transcripts (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    cue_count INTEGER NOT NULL,
    duration_ms BIGINT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);
CREATE TABLE transcript_cues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES transcripts(event_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start_ms BIGINT NOT NULL,
    end_ms BIGINT NOT NULL,
    speaker TEXT,
    body TEXT NOT NULL,
    UNIQUE (event_id, position)
);
