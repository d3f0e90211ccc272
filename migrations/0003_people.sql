-- Every person recorded is kept by key as well as by name (`slack:U123ABC`, `irc:dana`,
-- `shell:root`): names are what was shown at the time, keys are what the postmortem counts.
-- Rows recorded before keys existed get the key their platform would have given them then:
-- the shell and the tests used the name as the id.

alter table incidents add column opened_by_id text;
update incidents set opened_by_id = source_platform || ':' || opened_by;
alter table incidents alter column opened_by_id set not null;

alter table timeline_entries add column author_id text;
update timeline_entries set author_id = source_platform || ':' || author;
alter table timeline_entries alter column author_id set not null;
-- Someone else's words put on the timeline (a pinned Slack message) say who added them.
alter table timeline_entries add column added_by text;
alter table timeline_entries add column added_by_id text;
alter table timeline_entries add column deleted_by_id text;
update timeline_entries set deleted_by_id = source_platform || ':' || deleted_by where deleted_by is not null;
-- Entries are found again by what recorded them (a pinned message's channel and ts, to unpin it).
create index timeline_entries_by_source on timeline_entries (source_platform, source_event_id);

alter table timeline_revisions add column changed_by_id text;
update timeline_revisions r set changed_by_id = e.source_platform || ':' || r.changed_by
  from timeline_entries e where e.id = r.entry_id;
alter table timeline_revisions alter column changed_by_id set not null;

alter table incident_roles add column holder_id text;
alter table incident_roles add column assigned_by_id text;
update incident_roles r set holder_id = i.source_platform || ':' || r.holder,
                           assigned_by_id = i.source_platform || ':' || r.assigned_by
  from incidents i where i.id = r.incident_id;
alter table incident_roles alter column holder_id set not null;
alter table incident_roles alter column assigned_by_id set not null;

alter table status_updates add column author_id text;
update status_updates u set author_id = i.source_platform || ':' || u.author
  from incidents i where i.id = u.incident_id;
alter table status_updates alter column author_id set not null;

alter table followups add column owner_id text;
alter table followups add column created_by_id text;
update followups f set owner_id = case when f.owner is null then null else i.source_platform || ':' || f.owner end,
                      created_by_id = i.source_platform || ':' || f.created_by
  from incidents i where i.id = f.incident_id;
alter table followups alter column created_by_id set not null;
