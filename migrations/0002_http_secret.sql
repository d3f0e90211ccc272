-- The key postmortem links are signed with (issue 15): the HTTP port is reachable from outside and
-- incident numbers are sequential, so a link carries an HMAC that only this key can produce.
-- One row, written by firebell itself on first start (never by a migration: every PGlite data
-- directory is copied from one migrated template, and each database needs a key of its own).
create table http_secret (
  id smallint primary key default 1 check (id = 1),
  secret bytea not null check (octet_length(secret) = 32),
  created_at timestamptz not null default now()
);
