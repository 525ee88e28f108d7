DROP TABLE digests;
DROP TABLE digest_subscriptions;
