-- The message that sums an incident up in its channel (Slack's pinned summary), kept with the
-- channel link so the bot can still edit it after a restart.
alter table channel_links add column anchor text;
