-- Status page publishing (DESIGN §4, lessons 2 and 4): each public status update goes to every
-- enabled external target (Statuspage, Cachet, the signed webhook) through this outbox. Each
-- delivery stands alone: a failing one is retried with backoff and finally set aside as dead,
-- never holding up another target or another incident.

-- The targets this deployment publishes to, written at start-up from the configuration, so the
-- transaction that records an update can make one delivery per enabled target without knowing them.
create table status_targets (
  name text primary key,
  enabled boolean not null
);

create table status_deliveries (
  id bigint generated always as identity primary key,
  update_id int not null references status_updates (id),
  incident_id int not null references incidents (id),
  target text not null,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'dead')),
  attempts int not null default 0,
  created_at timestamptz not null,
  due_at timestamptz not null,
  last_error text,
  settled_at timestamptz,
  unique (target, update_id)
);
create index status_deliveries_due on status_deliveries (due_at) where state = 'pending';
-- Updates to one external incident go out in the order they were made.
create index status_deliveries_in_order on status_deliveries (target, incident_id, id) where state = 'pending';

-- The incident each target made for ours, so later updates amend it instead of opening another.
create table status_external_incidents (
  target text not null,
  incident_id int not null references incidents (id),
  external_id text not null,
  link text,
  primary key (target, incident_id)
);
