ALTER TABLE transcript_cues DROP COLUMN passage_vector;
ALTER TABLE transcripts DROP COLUMN vectors_model;
