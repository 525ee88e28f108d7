DROP TABLE transcript_cues;
DROP TABLE transcripts;
