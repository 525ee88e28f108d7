-- When each question was on screen during the call, kept as data (the audit log says it too, but
-- is not for computing with), and when the recording started, to turn those times into moments
-- of the recording.
CREATE TABLE screen_times (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    shown_at TIMESTAMP NOT NULL,
    hidden_at TIMESTAMP
);
CREATE INDEX screen_times_by_event ON screen_times (event_id, shown_at);
ALTER TABLE events ADD COLUMN recording_started_at TIMESTAMP;
