-- The chat outbox (DESIGN §8): what firebell says unprompted is kept in the transaction that
-- caused it, then delivered to each consumer (a chat platform, the postmortem draft writer) by a
-- worker, so that no platform's delay holds up a command and a crash between commit and delivery
-- loses nothing.
create table notices (
  id bigint generated always as identity primary key,
  body jsonb not null,
  incident_id int,
  created_at timestamptz not null
);

-- One row per consumer still to be told. Delivered rows are deleted; rows that kept failing stay,
-- set aside as 'dead', for the operator to see.
create table notice_deliveries (
  notice_id bigint not null references notices (id) on delete cascade,
  consumer text not null,
  -- Copied from the notice: deliveries about one incident go out in order.
  incident_id int,
  state text not null default 'pending' check (state in ('pending', 'dead')),
  attempts int not null default 0,
  due_at timestamptz not null,
  last_error text,
  primary key (consumer, notice_id)
);
create index notice_deliveries_due on notice_deliveries (consumer, due_at) where state = 'pending';
create index notice_deliveries_by_incident on notice_deliveries (consumer, incident_id, notice_id) where state = 'pending';
