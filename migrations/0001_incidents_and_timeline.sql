-- Incidents and everything a responder records about one (DESIGN §3).
-- Instants are timestamptz (UTC inside); each incident carries the zone it is shown in.

create table incidents (
  id int generated always as identity primary key,
  title text not null,
  severity smallint not null check (severity between 1 and 4),
  state text not null default 'investigating'
    check (state in ('investigating', 'identified', 'monitoring', 'resolved')),
  time_zone text not null,
  started_at timestamptz not null,
  resolved_at timestamptz,
  closed_at timestamptz,
  opened_by text not null,
  opened_at timestamptz not null,
  source_platform text not null,
  source_channel text not null
);
create index incidents_open on incidents (id) where closed_at is null;

create table timeline_entries (
  id int generated always as identity primary key,
  incident_id int not null references incidents (id),
  occurred_at timestamptz not null,
  recorded_at timestamptz not null,
  author text not null,
  kind text not null,
  text text not null,
  source_platform text not null,
  source_event_id text not null,
  deleted_at timestamptz,
  deleted_by text
);
create index timeline_entries_by_incident on timeline_entries (incident_id, occurred_at, id);

-- Edits and deletions keep the original: the postmortem lists them (DESIGN §6).
create table timeline_revisions (
  id int generated always as identity primary key,
  entry_id int not null references timeline_entries (id),
  action text not null check (action in ('edit', 'delete')),
  previous_text text not null,
  new_text text,
  changed_by text not null,
  changed_at timestamptz not null
);
create index timeline_revisions_by_entry on timeline_revisions (entry_id, id);

create table incident_roles (
  incident_id int not null references incidents (id),
  role text not null check (role in ('commander', 'comms', 'scribe')),
  holder text not null,
  assigned_by text not null,
  assigned_at timestamptz not null,
  primary key (incident_id, role)
);

create table status_updates (
  id int generated always as identity primary key,
  incident_id int not null references incidents (id),
  state text not null check (state in ('investigating', 'identified', 'monitoring', 'resolved')),
  message text not null,
  author text not null,
  posted_at timestamptz not null,
  entry_id int not null references timeline_entries (id)
);
create index status_updates_by_incident on status_updates (incident_id, posted_at, id);

create table followups (
  id int generated always as identity primary key,
  incident_id int not null references incidents (id),
  text text not null,
  owner text,
  due_on date,
  created_by text not null,
  created_at timestamptz not null
);
create index followups_by_incident on followups (incident_id, id);

-- Which chat channel belongs to which incident, per platform.
create table channel_links (
  platform text not null,
  channel_id text not null,
  incident_id int not null references incidents (id),
  linked_at timestamptz not null,
  primary key (platform, channel_id)
);

-- Every chat event that changed something, with the reply it got: a retried delivery of the same
-- event records nothing new and gets the same answer.
create table processed_events (
  platform text not null,
  event_id text not null,
  processed_at timestamptz not null,
  reply jsonb not null,
  primary key (platform, event_id)
);
