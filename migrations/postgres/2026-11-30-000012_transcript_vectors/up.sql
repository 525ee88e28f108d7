-- Closeness of meaning for a transcript: one sentence vector per cue, of the passage starting
-- there (the cue and the next two, with their speakers), written in the background after an
-- upload. vectors_model names the model they come from (its name and the start of its weights'
-- SHA-256); a new upload replaces the cues and so their vectors.
ALTER TABLE transcripts ADD COLUMN vectors_model TEXT;
ALTER TABLE transcript_cues ADD COLUMN passage_vector BYTEA;
