DROP TABLE moderator_votes;
