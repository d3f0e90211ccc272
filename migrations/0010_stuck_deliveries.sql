-- A status delivery still pending 5 min after it was made nags the ops channel once per stuck
-- episode (DESIGN §5). When that was said is kept on the row, so neither the next tick, another
-- instance nor a restart says it again; `deliveries retry` starts a new episode.
alter table status_deliveries add column stuck_reported_at timestamptz;
-- The scheduler's look for the oldest one not yet reported, and its claim of those now stuck.
create index status_deliveries_unreported on status_deliveries (created_at) where state = 'pending' and stuck_reported_at is null;
-- The dead ones are counted at each metrics scrape; settled ones pile up beside them.
create index status_deliveries_dead on status_deliveries (id) where state = 'dead';
