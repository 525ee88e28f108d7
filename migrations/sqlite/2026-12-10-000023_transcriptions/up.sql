-- Speech to text. A recording uploaded for an event is kept as 16 kHz sound (16-bit samples, a
-- 30 s piece per row, so any instance can read it) until it is transcribed; then its pieces are
-- deleted. One transcription runs at a time for the whole deployment: the partial unique index
-- lets only one row be 'running', and its lease says which instance works on it (a lease left by
-- an instance that stopped lapses, and another takes the work up from the start).
CREATE TABLE transcriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- preparing | queued | running | done | failed | cancelled
    state TEXT NOT NULL,
    source_name TEXT NOT NULL,
    -- The language asked for ("en").
    language TEXT NOT NULL,
    audio_secs DOUBLE NOT NULL,
    done_secs DOUBLE NOT NULL,
    -- Why it failed, or what it made.
    message TEXT,
    requested_by BIGINT REFERENCES moderators(id) ON DELETE SET NULL,
    lease_holder TEXT,
    lease_until TIMESTAMP,
    -- Asked by a moderator; the instance at work stops after the window in hand.
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
CREATE UNIQUE INDEX transcriptions_one_running ON transcriptions(state) WHERE state = 'running';
CREATE UNIQUE INDEX transcriptions_one_per_event ON transcriptions(event_id)
    WHERE state IN ('preparing', 'queued', 'running');
CREATE INDEX transcriptions_by_event ON transcriptions(event_id, id);
CREATE TABLE transcription_audio (
    transcription_id BIGINT NOT NULL REFERENCES transcriptions(id) ON DELETE CASCADE,
    piece INTEGER NOT NULL,
    samples BLOB NOT NULL,
    PRIMARY KEY (transcription_id, piece)
);
