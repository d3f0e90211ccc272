-- An action item is done once someone says so (`followup done F-n`): who and when, so the
-- postmortem's action items show each one's state.
alter table followups add column done_at timestamptz;
alter table followups add column done_by text;
alter table followups add column done_by_id text;
alter table followups add constraint followups_done_by check ((done_at is null) = (done_by_id is null) and (done_at is null) = (done_by is null));
