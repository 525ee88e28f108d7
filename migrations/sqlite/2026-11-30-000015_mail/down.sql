DROP TABLE mail_outbox;
DROP TABLE mail_subscriptions;
