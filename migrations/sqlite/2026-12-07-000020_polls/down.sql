DROP TABLE poll_answer_votes;
DROP TABLE poll_answers;
DROP TABLE polls;
