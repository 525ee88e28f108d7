ALTER TABLE transcript_cues DROP COLUMN cue_vector;
ALTER TABLE transcripts DROP COLUMN vectors_model;
