-- Voter identities handed out, by address prefix (an IPv4 address, or an IPv6 /64), so that new
-- identities can be limited per network across every instance. Rows older than the limit's window
-- are deleted: nothing here outlives it.
CREATE TABLE voter_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    prefix TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL
);
CREATE INDEX voter_grants_by_prefix ON voter_grants (prefix, granted_at);
CREATE INDEX voter_grants_by_age ON voter_grants (granted_at);
