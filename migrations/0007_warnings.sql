-- Warnings and nags (DESIGN §5, lesson 3). A warning is one fingerprint: when it fires again after
-- resolving, the same W-n reopens, so a flapping alert's firings add up instead of scattering.
create table warnings (
  id int generated always as identity primary key,
  fingerprint text not null unique,
  summary text not null,
  severity text,
  -- The owner as a notice mentions them: name, and key where the platform id is known.
  owner_name text,
  owner_id text,
  labels jsonb not null default '{}',
  generator_url text,
  state text not null default 'open' check (state in ('open', 'resolved')),
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  fire_count int not null default 0,
  nag_count int not null default 0,
  -- The current episode: since it last (re)opened. The nag schedule restarts with each.
  opened_at timestamptz not null,
  episode_nag_count int not null default 0,
  last_nag_at timestamptz,
  acked_at timestamptz,
  acked_by text,
  acked_by_id text,
  ack_note text,
  snoozed_until timestamptz,
  habitual boolean not null default false,
  -- Nag state lives here, so a restart neither loses nor repeats a nag.
  next_nag_at timestamptz,
  resolved_at timestamptz,
  incident_id int references incidents (id)
);
create index warnings_due on warnings (next_nag_at) where state = 'open' and next_nag_at is not null;
create index warnings_habitual on warnings (id) where habitual;

-- Each time a warning fired: the habitual rule counts them over a window.
create table warning_firings (
  warning_id int not null references warnings (id) on delete cascade,
  fired_at timestamptz not null
);
create index warning_firings_by_warning on warning_firings (warning_id, fired_at);

-- Incident status nags: when the commander was last reminded, per incident.
create table incident_nags (
  incident_id int primary key references incidents (id) on delete cascade,
  last_nag_at timestamptz not null,
  nag_count int not null default 0
);

-- Jobs that run once per period across every instance (the daily digest): the period last taken.
create table scheduled_runs (
  name text primary key,
  last_slot_at timestamptz not null
);
