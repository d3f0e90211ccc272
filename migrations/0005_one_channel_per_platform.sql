-- An incident has at most one channel on each platform (and may have one on several at once).
-- Before this, only the shell linked channels, one per incident: no row is lost here.
create unique index channel_links_one_per_platform on channel_links (incident_id, platform);
