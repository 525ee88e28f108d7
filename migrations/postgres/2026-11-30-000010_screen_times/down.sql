ALTER TABLE events DROP COLUMN recording_started_at;
DROP TABLE screen_times;
