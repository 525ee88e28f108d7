DROP TABLE voter_grants;
