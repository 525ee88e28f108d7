DROP INDEX votes_recent_origin_by_question;
CREATE INDEX votes_recent_origin ON votes (origin, created_at) WHERE origin IS NOT NULL;
