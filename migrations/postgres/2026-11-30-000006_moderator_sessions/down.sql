DROP TABLE moderator_sessions;
