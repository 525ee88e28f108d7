-- A network's recent votes are counted per question, on every new vote: indexed by question too, a
-- crowd behind one address (a conference, a NAT) costs each vote its question's recent votes from
-- there, not every vote the address cast in the last minute.
DROP INDEX votes_recent_origin;
CREATE INDEX votes_recent_origin_by_question ON votes (origin, question_id, created_at)
    WHERE origin IS NOT NULL;
