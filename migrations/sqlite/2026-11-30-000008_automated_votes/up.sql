-- Votes that look automated. A vote keeps the network it came from (an IPv4 address, or an IPv6
-- /64) only while bursts are judged: the column is erased within two minutes. What stays is whether
-- the vote was part of a burst, and whether a moderator discounted it.
ALTER TABLE votes ADD COLUMN origin TEXT;
ALTER TABLE votes ADD COLUMN automated BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE votes ADD COLUMN discounted BOOLEAN NOT NULL DEFAULT false;
-- Both indexes hold only a few rows (recent votes; flagged ones), so an ordinary vote pays little.
CREATE INDEX votes_recent_origin ON votes (origin, created_at) WHERE origin IS NOT NULL;
CREATE INDEX votes_flagged ON votes (question_id) WHERE automated;
