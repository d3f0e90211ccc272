import type { Queryable } from '../db.ts';
import type { ChannelLinkRepository } from '../store.ts';
import type { CandidateCache } from './candidate-cache.ts';
import { INCIDENT_COLUMNS, toIncident, type IncidentRow } from './incidents.ts';

export function channelLinkRepository(q: Queryable, candidates: CandidateCache): ChannelLinkRepository {
  return {
    async link({ platform, channelId, incidentId, anchor = null }, at) {
      candidates.forget();
      // The incident's old channel on this platform, and whatever incident this channel had, let go.
      await q.query('delete from channel_links where platform = $1 and (incident_id = $2 or channel_id = $3)', [
        platform,
        incidentId,
        channelId,
      ]);
      await q.query('insert into channel_links (platform, channel_id, incident_id, linked_at, anchor) values ($1, $2, $3, $4, $5)', [
        platform,
        channelId,
        incidentId,
        at,
        anchor,
      ]);
    },
    async channelOf(incidentId, platform) {
      const { rows } = await q.query<{ channel_id: string }>(
        'select channel_id from channel_links where incident_id = $1 and platform = $2',
        [incidentId, platform],
      );
      return rows[0]?.channel_id ?? null;
    },
    async linkOf(incidentId, platform) {
      const { rows } = await q.query<{ channel_id: string; anchor: string | null }>(
        'select channel_id, anchor from channel_links where incident_id = $1 and platform = $2',
        [incidentId, platform],
      );
      const row = rows[0];
      return row ? { channelId: row.channel_id, anchor: row.anchor } : null;
    },
    async openIncidents(platform) {
      const { rows } = await q.query<IncidentRow & { channel_id: string | null }>(
        `select ${INCIDENT_COLUMNS}, l.channel_id
         from incidents i left join channel_links l on l.incident_id = i.id and l.platform = $1
         where i.closed_at is null order by i.id`,
        [platform],
      );
      return rows.map((r) => ({ incident: toIncident(r), channelId: r.channel_id }));
    },
  };
}
