-- Closeness of meaning for a transcript: one sentence vector per cue (its speaker and words),
-- written in the background after an upload; a passage's vector is the sum of its cues'. vectors_model names the model they come from (its name and the start of its weights'
-- SHA-256); a new upload replaces the cues and so their vectors.
ALTER TABLE transcripts ADD COLUMN vectors_model TEXT;
ALTER TABLE transcript_cues ADD COLUMN cue_vector BYTEA;
