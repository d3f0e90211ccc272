import type {
  EntryKind,
  Followup,
  Incident,
  Role,
  RoleAssignment,
  StatusState,
  StatusUpdate,
  TimelineEntry,
  TimelineRevision,
} from '../core/model.ts';
import type { Queryable } from './db.ts';
import { eventKey, type NewIncident, type NewTimelineEntry, type Store } from './store.ts';

const INCIDENT_COLUMNS =
  'i.id, i.title, i.severity, i.state, i.time_zone, i.started_at, i.resolved_at, i.closed_at, i.opened_by, i.opened_at';

interface IncidentRow {
  id: number;
  title: string;
  severity: number;
  state: StatusState;
  time_zone: string;
  started_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
  opened_by: string;
  opened_at: Date;
}

function toIncident(r: IncidentRow): Incident {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    state: r.state,
    timeZone: r.time_zone,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    openedBy: r.opened_by,
    openedAt: r.opened_at,
  };
}

const ENTRY_COLUMNS =
  'id, incident_id, occurred_at, recorded_at, author, kind, text, source_platform, deleted_at, deleted_by';

interface EntryRow {
  id: number;
  incident_id: number;
  occurred_at: Date;
  recorded_at: Date;
  author: string;
  kind: EntryKind;
  text: string;
  source_platform: string;
  deleted_at: Date | null;
  deleted_by: string | null;
}

function toEntry(r: EntryRow): TimelineEntry {
  return {
    id: r.id,
    incidentId: r.incident_id,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    author: r.author,
    kind: r.kind,
    text: r.text,
    sourcePlatform: r.source_platform,
    deletedAt: r.deleted_at,
    deletedBy: r.deleted_by,
  };
}

interface RevisionRow {
  entry_id: number;
  action: 'edit' | 'delete';
  previous_text: string;
  new_text: string | null;
  changed_by: string;
  changed_at: Date;
}

interface StatusRow {
  id: number;
  incident_id: number;
  state: StatusState;
  message: string;
  author: string;
  posted_at: Date;
}

function toStatusUpdate(r: StatusRow): StatusUpdate {
  return { id: r.id, incidentId: r.incident_id, state: r.state, message: r.message, author: r.author, postedAt: r.posted_at };
}

interface FollowupRow {
  id: number;
  incident_id: number;
  text: string;
  owner: string | null;
  due_on: string | null;
  created_by: string;
  created_at: Date;
}

function toFollowup(r: FollowupRow): Followup {
  return {
    id: r.id,
    incidentId: r.incident_id,
    text: r.text,
    owner: r.owner,
    dueOn: r.due_on,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function first<T>(rows: T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what}: the database returned no row`);
  return row;
}

/** The SQL behind every repository; the same statements run on Postgres and PGlite. */
export function sqlStore(q: Queryable): Store {
  // Commands batched in one transaction mostly ask the same question (which incident is this
  // channel's?): answered once, until something in the transaction changes incidents or links.
  const candidates = new Map<string, Promise<{ linked: Incident | null; open: Incident[] }>>();
  return {
    incidents: {
      async insert(n: NewIncident) {
        candidates.clear();
        const { rows } = await q.query<IncidentRow>(
          `insert into incidents as i (title, severity, time_zone, started_at, opened_by, opened_at, source_platform, source_channel)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${INCIDENT_COLUMNS}`,
          [n.title, n.severity, n.timeZone, n.startedAt, n.openedBy, n.openedAt, n.sourcePlatform, n.sourceChannel],
        );
        return toIncident(first(rows, 'insert incident'));
      },
      async get(id) {
        const { rows } = await q.query<IncidentRow>(`select ${INCIDENT_COLUMNS} from incidents i where i.id = $1`, [id]);
        return rows[0] ? toIncident(rows[0]) : null;
      },
      async listOpen() {
        const { rows } = await q.query<IncidentRow>(
          `select ${INCIDENT_COLUMNS} from incidents i where i.closed_at is null order by i.id`,
        );
        return rows.map(toIncident);
      },
      candidatesFor(platform, channelId) {
        const key = `${platform}\u0000${channelId}`;
        let answer = candidates.get(key);
        if (!answer) {
          answer = q
            .query<IncidentRow & { linked: boolean }>(
              `select ${INCIDENT_COLUMNS}, l.channel_id is not null as linked
               from incidents i left join channel_links l on l.incident_id = i.id and l.platform = $1 and l.channel_id = $2
               where l.channel_id is not null or i.closed_at is null
               order by linked desc, i.id`,
              [platform, channelId],
            )
            .then(({ rows }) => ({
              linked: rows[0]?.linked ? toIncident(rows[0]) : null,
              open: rows.filter((r) => r.closed_at === null).map(toIncident),
            }));
          candidates.set(key, answer);
          answer.catch(() => candidates.delete(key));
        }
        return answer;
      },
      async setSeverity(id, severity) {
        candidates.clear();
        await q.query('update incidents set severity = $2 where id = $1', [id, severity]);
      },
      async setState(id, state, resolvedAt) {
        candidates.clear();
        await q.query('update incidents set state = $2, resolved_at = $3 where id = $1', [id, state, resolvedAt]);
      },
      async close(id, closedAt) {
        candidates.clear();
        await q.query('update incidents set closed_at = $2 where id = $1', [id, closedAt]);
      },
    },

    timeline: {
      async insert(e: NewTimelineEntry) {
        // Only the id comes back: the rest is what was written, and every column returned costs
        // a conversion on each side of the hottest statement firebell runs.
        const { rows } = await q.query<{ id: number }>(
          `insert into timeline_entries (incident_id, occurred_at, recorded_at, author, kind, text, source_platform, source_event_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
          [e.incidentId, e.occurredAt, e.recordedAt, e.author, e.kind, e.text, e.sourcePlatform, e.sourceEventId],
        );
        const { id } = first(rows, 'insert timeline entry');
        return { ...e, id, deletedAt: null, deletedBy: null };
      },
      async get(id) {
        const { rows } = await q.query<EntryRow>(`select ${ENTRY_COLUMNS} from timeline_entries where id = $1`, [id]);
        return rows[0] ? toEntry(rows[0]) : null;
      },
      async latestOccurredAt(incidentId) {
        const { rows } = await q.query<{ at: Date | null }>(
          'select max(occurred_at) as at from timeline_entries where incident_id = $1 and deleted_at is null',
          [incidentId],
        );
        return rows[0]?.at ?? null;
      },
      async list(incidentId) {
        const { rows } = await q.query<EntryRow>(
          `select ${ENTRY_COLUMNS} from timeline_entries where incident_id = $1 order by occurred_at, id`,
          [incidentId],
        );
        return rows.map(toEntry);
      },
      async revise(r: TimelineRevision) {
        await q.query(
          `insert into timeline_revisions (entry_id, action, previous_text, new_text, changed_by, changed_at)
           values ($1, $2, $3, $4, $5, $6)`,
          [r.entryId, r.action, r.previousText, r.newText, r.changedBy, r.changedAt],
        );
        if (r.action === 'edit') {
          await q.query('update timeline_entries set text = $2 where id = $1', [r.entryId, r.newText]);
        } else {
          await q.query('update timeline_entries set deleted_at = $2, deleted_by = $3 where id = $1', [
            r.entryId,
            r.changedAt,
            r.changedBy,
          ]);
        }
      },
      async revisions(incidentId) {
        const { rows } = await q.query<RevisionRow>(
          `select r.entry_id, r.action, r.previous_text, r.new_text, r.changed_by, r.changed_at
           from timeline_revisions r join timeline_entries e on e.id = r.entry_id
           where e.incident_id = $1 order by r.changed_at, r.id`,
          [incidentId],
        );
        return rows.map((r) => ({
          entryId: r.entry_id,
          action: r.action,
          previousText: r.previous_text,
          newText: r.new_text,
          changedBy: r.changed_by,
          changedAt: r.changed_at,
        }));
      },
    },

    roles: {
      async assign(incidentId, a: RoleAssignment) {
        await q.query(
          `insert into incident_roles (incident_id, role, holder, assigned_by, assigned_at) values ($1, $2, $3, $4, $5)
           on conflict (incident_id, role) do update
             set holder = excluded.holder, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at`,
          [incidentId, a.role, a.holder, a.assignedBy, a.assignedAt],
        );
      },
      async list(incidentId) {
        const { rows } = await q.query<{ role: Role; holder: string; assigned_by: string; assigned_at: Date }>(
          `select role, holder, assigned_by, assigned_at from incident_roles where incident_id = $1
           order by array_position(array['commander', 'comms', 'scribe'], role)`,
          [incidentId],
        );
        return rows.map((r) => ({ role: r.role, holder: r.holder, assignedBy: r.assigned_by, assignedAt: r.assigned_at }));
      },
    },

    statusUpdates: {
      async insert(u) {
        const { rows } = await q.query<StatusRow>(
          `insert into status_updates (incident_id, state, message, author, posted_at, entry_id)
           values ($1, $2, $3, $4, $5, $6) returning id, incident_id, state, message, author, posted_at`,
          [u.incidentId, u.state, u.message, u.author, u.postedAt, u.entryId],
        );
        return toStatusUpdate(first(rows, 'insert status update'));
      },
      async list(incidentId) {
        const { rows } = await q.query<StatusRow>(
          `select s.id, s.incident_id, s.state, s.message, s.author, s.posted_at
           from status_updates s join timeline_entries e on e.id = s.entry_id
           where s.incident_id = $1 and e.deleted_at is null order by s.posted_at, s.id`,
          [incidentId],
        );
        return rows.map(toStatusUpdate);
      },
      // By incident as well as entry: status_updates is indexed by incident, not by entry.
      async forEntry(incidentId, entryId) {
        const { rows } = await q.query<StatusRow>(
          `select id, incident_id, state, message, author, posted_at from status_updates
           where incident_id = $1 and entry_id = $2`,
          [incidentId, entryId],
        );
        return rows[0] ? toStatusUpdate(rows[0]) : null;
      },
      async reword(incidentId, entryId, message) {
        await q.query('update status_updates set message = $3 where incident_id = $1 and entry_id = $2', [incidentId, entryId, message]);
      },
    },

    followups: {
      async insert(f) {
        const { rows } = await q.query<FollowupRow>(
          `insert into followups (incident_id, text, owner, due_on, created_by, created_at)
           values ($1, $2, $3, $4, $5, $6)
           returning id, incident_id, text, owner, due_on::text as due_on, created_by, created_at`,
          [f.incidentId, f.text, f.owner, f.dueOn, f.createdBy, f.createdAt],
        );
        return toFollowup(first(rows, 'insert follow-up'));
      },
      async list(incidentId) {
        const { rows } = await q.query<FollowupRow>(
          `select id, incident_id, text, owner, due_on::text as due_on, created_by, created_at
           from followups where incident_id = $1 order by id`,
          [incidentId],
        );
        return rows.map(toFollowup);
      },
    },

    channels: {
      async link(platform, channelId, incidentId, at) {
        candidates.clear();
        await q.query(
          `insert into channel_links (platform, channel_id, incident_id, linked_at) values ($1, $2, $3, $4)
           on conflict (platform, channel_id) do update set incident_id = excluded.incident_id, linked_at = excluded.linked_at`,
          [platform, channelId, incidentId, at],
        );
      },
    },

    events: {
      async repliesTo(events) {
        const replies = new Map<string, unknown>();
        if (events.length === 0) return replies;
        const { rows } = await q.query<{ platform: string; event_id: string; reply: unknown }>(
          `select p.platform, p.event_id, p.reply from processed_events p
           join unnest($1::text[], $2::text[]) as e(platform, event_id) using (platform, event_id)`,
          [events.map((e) => e.platform), events.map((e) => e.eventId)],
        );
        for (const r of rows) replies.set(eventKey({ platform: r.platform, eventId: r.event_id }), r.reply);
        return replies;
      },
      async record(events) {
        if (events.length === 0) return 0;
        const only = events.length === 1 ? events[0] : undefined;
        if (only) {
          // The usual case, one command per transaction: a plain VALUES plans faster than unnest.
          const { rowCount } = await q.query(
            `insert into processed_events (platform, event_id, processed_at, reply) values ($1, $2, $3, $4::text::jsonb)
             on conflict do nothing`,
            [only.platform, only.eventId, only.at, JSON.stringify(only.reply)],
          );
          return rowCount;
        }
        const { rowCount } = await q.query(
          `insert into processed_events (platform, event_id, processed_at, reply)
           select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]::jsonb[])
           on conflict do nothing`,
          [events.map((e) => e.platform), events.map((e) => e.eventId), events.map((e) => e.at), events.map((e) => JSON.stringify(e.reply))],
        );
        return rowCount;
      },
    },
  };
}
