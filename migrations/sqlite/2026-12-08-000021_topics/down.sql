DROP TABLE topic_poll_answers;
DROP TABLE topic_searches;
DROP TABLE topic_questions;
DROP TABLE topics;
DROP TABLE topic_groupings;
