DROP INDEX votes_flagged;
DROP INDEX votes_recent_origin;
ALTER TABLE votes DROP COLUMN discounted;
ALTER TABLE votes DROP COLUMN automated;
ALTER TABLE votes DROP COLUMN origin;
