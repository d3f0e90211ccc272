import type { Warning } from '../../core/warning-model.ts';
import type { Queryable } from '../db.ts';
import type { WarningRepository } from '../store.ts';
import { first } from './rows.ts';

const WARNING_COLUMNS = `w.id, w.fingerprint, w.summary, w.severity, w.owner_name, w.owner_id, w.labels, w.generator_url, w.state,
  w.first_seen_at, w.last_seen_at, w.fire_count, w.nag_count, w.opened_at, w.episode_nag_count, w.last_nag_at,
  w.acked_at, w.acked_by, w.acked_by_id, w.ack_note, w.snoozed_until, w.habitual, w.next_nag_at, w.resolved_at, w.incident_id`;

interface WarningRow {
  id: number;
  fingerprint: string;
  summary: string;
  severity: string | null;
  owner_name: string | null;
  owner_id: string | null;
  labels: Record<string, string>;
  generator_url: string | null;
  state: 'open' | 'resolved';
  first_seen_at: Date;
  last_seen_at: Date;
  fire_count: number;
  nag_count: number;
  opened_at: Date;
  episode_nag_count: number;
  last_nag_at: Date | null;
  acked_at: Date | null;
  acked_by: string | null;
  acked_by_id: string | null;
  ack_note: string | null;
  snoozed_until: Date | null;
  habitual: boolean;
  next_nag_at: Date | null;
  resolved_at: Date | null;
  incident_id: number | null;
}

function toWarning(r: WarningRow): Warning {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    summary: r.summary,
    severity: r.severity,
    owner: r.owner_name !== null ? { name: r.owner_name, id: r.owner_id ?? r.owner_name } : null,
    labels: r.labels,
    generatorUrl: r.generator_url,
    state: r.state,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    fireCount: r.fire_count,
    nagCount: r.nag_count,
    openedAt: r.opened_at,
    episodeNagCount: r.episode_nag_count,
    lastNagAt: r.last_nag_at,
    ackedAt: r.acked_at,
    ackedBy: r.acked_by,
    ackedById: r.acked_by_id,
    ackNote: r.ack_note,
    snoozedUntil: r.snoozed_until,
    habitual: r.habitual,
    nextNagAt: r.next_nag_at,
    resolvedAt: r.resolved_at,
    incidentId: r.incident_id,
  };
}

export function warningRepository(q: Queryable): WarningRepository {
  async function one(where: string, params: unknown[], lock: boolean): Promise<Warning | null> {
    const { rows } = await q.query<WarningRow>(`select ${WARNING_COLUMNS} from warnings w where ${where}${lock ? ' for update' : ''}`, params);
    return rows[0] ? toWarning(rows[0]) : null;
  }
  return {
    async take(w) {
      const found = await one('w.fingerprint = $1', [w.fingerprint], true);
      if (found) return { warning: found, created: false };
      // Insert-or-nothing, so two transactions taking one new fingerprint cannot both make it.
      const { rows } = await q.query<WarningRow>(
        `insert into warnings as w (fingerprint, summary, first_seen_at, last_seen_at, opened_at)
         values ($1, $2, $3, $3, $3) on conflict (fingerprint) do nothing returning ${WARNING_COLUMNS}`,
        [w.fingerprint, w.summary, w.at],
      );
      if (rows[0]) return { warning: toWarning(rows[0]), created: true };
      const existing = await one('w.fingerprint = $1', [w.fingerprint], true);
      if (!existing) throw new Error(`warning ${w.fingerprint} vanished while being taken`);
      return { warning: existing, created: false };
    },
    lockByFingerprint: (fingerprint) => one('w.fingerprint = $1', [fingerprint], true),
    lock: (id) => one('w.id = $1', [id], true),
    get: (id) => one('w.id = $1', [id], false),
    async save(w) {
      const { rowCount } = await q.query(
        `update warnings set summary = $2, severity = $3, owner_name = $4, owner_id = $5, labels = $6::text::jsonb, generator_url = $7,
           state = $8, last_seen_at = $9, fire_count = $10, nag_count = $11, opened_at = $12, episode_nag_count = $13,
           last_nag_at = $14, acked_at = $15, acked_by = $16, acked_by_id = $17, ack_note = $18, snoozed_until = $19,
           habitual = $20, next_nag_at = $21, resolved_at = $22, incident_id = $23
         where id = $1`,
        [
          w.id,
          w.summary,
          w.severity,
          w.owner?.name ?? null,
          w.owner?.id ?? null,
          JSON.stringify(w.labels),
          w.generatorUrl,
          w.state,
          w.lastSeenAt,
          w.fireCount,
          w.nagCount,
          w.openedAt,
          w.episodeNagCount,
          w.lastNagAt,
          w.ackedAt,
          w.ackedBy,
          w.ackedById,
          w.ackNote,
          w.snoozedUntil,
          w.habitual,
          w.nextNagAt,
          w.resolvedAt,
          w.incidentId,
        ],
      );
      if (rowCount !== 1) throw new Error(`save warning ${w.id}: no such row`);
    },
    async recordNags(nags) {
      if (nags.length === 0) return;
      await q.query(
        `update warnings w set nag_count = n.nag_count, episode_nag_count = n.episode_nag_count, last_nag_at = n.last_nag_at,
           next_nag_at = n.next_nag_at
         from unnest($1::int[], $2::int[], $3::int[], $4::timestamptz[], $5::timestamptz[])
           as n(id, nag_count, episode_nag_count, last_nag_at, next_nag_at)
         where w.id = n.id`,
        [nags.map((n) => n.id), nags.map((n) => n.nagCount), nags.map((n) => n.episodeNagCount), nags.map((n) => n.lastNagAt), nags.map((n) => n.nextNagAt)],
      );
    },
    async addFiring(warningId, at, since) {
      // The outer select cannot see the row its own CTE inserts, so the new firing is added to it.
      const { rows } = await q.query<{ fired_at: Date }>(
        `with added as (insert into warning_firings (warning_id, fired_at) values ($1, $2) returning fired_at)
         select fired_at from warning_firings where warning_id = $1 and fired_at >= $3
         union all select fired_at from added where fired_at >= $3
         order by fired_at`,
        [warningId, at, since],
      );
      return rows.map((r) => r.fired_at);
    },
    async listOpen() {
      const { rows } = await q.query<WarningRow>(`select ${WARNING_COLUMNS} from warnings w where w.state = 'open' order by w.habitual desc, w.id`);
      return rows.map(toWarning);
    },
    async listForDigest() {
      const { rows } = await q.query<WarningRow>(
        `select ${WARNING_COLUMNS} from warnings w where w.state = 'open' or w.habitual order by w.habitual desc, w.fire_count desc, w.id`,
      );
      return rows.map(toWarning);
    },
    async claimDue(now, limit) {
      const { rows } = await q.query<WarningRow>(
        `select ${WARNING_COLUMNS} from warnings w
         where w.state = 'open' and w.next_nag_at is not null and w.next_nag_at <= $1
         order by w.next_nag_at, w.id
         limit $2
         for update skip locked`,
        [now, limit],
      );
      return rows.map(toWarning);
    },
    async nextDueAt() {
      const { rows } = await q.query<{ at: Date | null }>(
        `select min(next_nag_at) as at from warnings where state = 'open' and next_nag_at is not null`,
      );
      return first(rows, 'next nag').at;
    },
    async beforeIncident(incidentId, window, ignoredLabels) {
      // Narrows the candidates to those the rule (core/preceding-warnings.ts) can keep, in one
      // query: the warnings promoted into the incident, and those in the window with one of
      // their specific label pairs.
      const { rows } = await q.query<WarningRow>(
        `with incident_pairs as (
           select distinct p.key, p.value
           from warnings l cross join lateral jsonb_each_text(l.labels) p
           where l.incident_id = $1 and p.key <> all($2::text[])
         )
         select ${WARNING_COLUMNS} from warnings w
         where w.incident_id = $1
            or (w.last_seen_at >= $3 and ($4::timestamptz is null or w.first_seen_at <= $4)
                and exists (select 1 from jsonb_each_text(w.labels) p join incident_pairs i on i.key = p.key and i.value = p.value))
         order by w.first_seen_at, w.id`,
        [incidentId, ignoredLabels, window.from, window.to],
      );
      return rows.map(toWarning);
    },
  };
}
