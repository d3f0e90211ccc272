import type { Incident, StatusState } from '../../core/model.ts';
import type { Queryable } from '../db.ts';
import type { IncidentRepository, NewIncident } from '../store.ts';
import type { CandidateCache } from './candidate-cache.ts';
import { first } from './rows.ts';

export const INCIDENT_COLUMNS =
  'i.id, i.title, i.severity, i.state, i.time_zone, i.started_at, i.resolved_at, i.closed_at, i.opened_by, i.opened_by_id, i.opened_at';

export interface IncidentRow {
  id: number;
  title: string;
  severity: number;
  state: StatusState;
  time_zone: string;
  started_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
  opened_by: string;
  opened_by_id: string;
  opened_at: Date;
}

export function toIncident(r: IncidentRow): Incident {
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
    openedById: r.opened_by_id,
    openedAt: r.opened_at,
  };
}

export function incidentRepository(q: Queryable, candidates: CandidateCache): IncidentRepository {
  const repository: IncidentRepository = {
    async insert(n: NewIncident) {
      candidates.forget();
      const { rows } = await q.query<IncidentRow>(
        `insert into incidents as i (title, severity, time_zone, started_at, opened_by, opened_by_id, opened_at, source_platform, source_channel)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${INCIDENT_COLUMNS}`,
        [n.title, n.severity, n.timeZone, n.startedAt, n.openedBy, n.openedById, n.openedAt, n.sourcePlatform, n.sourceChannel],
      );
      return toIncident(first(rows, 'insert incident'));
    },
    async get(id) {
      const { rows } = await q.query<IncidentRow>(`select ${INCIDENT_COLUMNS} from incidents i where i.id = $1`, [id]);
      return rows[0] ? toIncident(rows[0]) : null;
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const { rows } = await q.query<IncidentRow>(`select ${INCIDENT_COLUMNS} from incidents i where i.id = any($1::bigint[]) order by i.id`, [ids]);
      return rows.map(toIncident);
    },
    async lock(id) {
      const { rows } = await q.query<IncidentRow>(`select ${INCIDENT_COLUMNS} from incidents i where i.id = $1 for update`, [id]);
      return rows[0] ? toIncident(rows[0]) : null;
    },
    async listOpen() {
      const { rows } = await q.query<IncidentRow>(`select ${INCIDENT_COLUMNS} from incidents i where i.closed_at is null order by i.id`);
      return rows.map(toIncident);
    },
    candidatesForMany(channels) {
      return candidates.getMany(channels, async (missing) => {
        const only = missing.length === 1 ? missing[0] : undefined;
        if (only) {
          // The open incidents only when the channel has none of its own: a linked channel (every
          // command typed in an incident channel) reads one row by key, however many are open.
          const { rows } = await q.query<IncidentRow & { linked: boolean }>(
            `with linked as (select l.incident_id from channel_links l where l.platform = $1 and l.channel_id = $2)
             select ${INCIDENT_COLUMNS}, true as linked from incidents i join linked on linked.incident_id = i.id
             union all
             select ${INCIDENT_COLUMNS}, false as linked from incidents i where i.closed_at is null and not exists (select from linked)
             order by linked desc, id`,
            [only.platform, only.channelId],
          );
          const linked = rows[0]?.linked ? toIncident(rows[0]) : null;
          return [{ linked, open: linked ? [] : rows.map(toIncident) }];
        }
        // Several channels (a batch typed in many incident channels): their links in one query,
        // and the open incidents once, only if one of them has no incident of its own.
        const { rows } = await q.query<IncidentRow & { n: number }>(
          `select w.n::int as n, ${INCIDENT_COLUMNS}
           from unnest($1::text[], $2::text[]) with ordinality as w(platform, channel_id, n)
           join channel_links l on l.platform = w.platform and l.channel_id = w.channel_id
           join incidents i on i.id = l.incident_id`,
          [missing.map((c) => c.platform), missing.map((c) => c.channelId)],
        );
        const linked = new Map(rows.map((r) => [Number(r.n) - 1, toIncident(r)]));
        const open = linked.size < missing.length ? await repository.listOpen() : [];
        return missing.map((_, i) => {
          const incident = linked.get(i);
          return incident ? { linked: incident, open: [] } : { linked: null, open };
        });
      });
    },
    async setSeverity(id, severity) {
      candidates.forget();
      await q.query('update incidents set severity = $2 where id = $1', [id, severity]);
    },
    async setState(id, state, resolvedAt) {
      candidates.forget();
      await q.query('update incidents set state = $2, resolved_at = $3 where id = $1', [id, state, resolvedAt]);
    },
    async close(id, closedAt) {
      candidates.forget();
      await q.query('update incidents set closed_at = $2 where id = $1', [id, closedAt]);
    },
  };
  return repository;
}
