import type { Queryable } from '../db.ts';
import type { IncidentNagRepository, StatusNagCandidate } from '../store.ts';
import { INCIDENT_COLUMNS, toIncident, type IncidentRow } from './incidents.ts';

interface CandidateRow extends IncidentRow {
  last_update_at: Date | null;
  last_nag_at: Date | null;
  commander: string | null;
  commander_id: string | null;
}

export function incidentNagRepository(q: Queryable): IncidentNagRepository {
  return {
    async claimOpen(severities, limit) {
      const { rows } = await q.query<CandidateRow>(
        `select ${INCIDENT_COLUMNS},
           (select max(s.posted_at) from status_updates s where s.incident_id = i.id) as last_update_at,
           (select n.last_nag_at from incident_nags n where n.incident_id = i.id) as last_nag_at,
           r.holder as commander, r.holder_id as commander_id
         from incidents i
         left join incident_roles r on r.incident_id = i.id and r.role = 'commander'
         where i.closed_at is null and i.state <> 'resolved' and i.severity = any($1::int[])
         order by i.id
         limit $2
         for update of i skip locked`,
        [severities, limit],
      );
      return rows.map(
        (r): StatusNagCandidate => ({
          incident: toIncident(r),
          lastUpdateAt: r.last_update_at,
          lastNagAt: r.last_nag_at,
          commander: r.commander !== null && r.commander_id !== null ? { name: r.commander, id: r.commander_id } : null,
        }),
      );
    },
    async nagged(incidentId, at) {
      await q.query(
        `insert into incident_nags (incident_id, last_nag_at, nag_count) values ($1, $2, 1)
         on conflict (incident_id) do update set last_nag_at = excluded.last_nag_at, nag_count = incident_nags.nag_count + 1`,
        [incidentId, at],
      );
    },
  };
}
