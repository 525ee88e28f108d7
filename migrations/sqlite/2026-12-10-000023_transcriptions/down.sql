DROP TABLE transcription_audio;
DROP TABLE transcriptions;
