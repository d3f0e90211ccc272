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
  async function saveMany(ws: readonly Warning[]): Promise<void> {
    if (ws.length === 0) return;
    const { rowCount } = await q.query(
      `update warnings w set summary = n.summary, severity = n.severity, owner_name = n.owner_name, owner_id = n.owner_id,
         labels = n.labels::jsonb, generator_url = n.generator_url, state = n.state, last_seen_at = n.last_seen_at,
         fire_count = n.fire_count, nag_count = n.nag_count, opened_at = n.opened_at, episode_nag_count = n.episode_nag_count,
         last_nag_at = n.last_nag_at, acked_at = n.acked_at, acked_by = n.acked_by, acked_by_id = n.acked_by_id,
         ack_note = n.ack_note, snoozed_until = n.snoozed_until, habitual = n.habitual, next_nag_at = n.next_nag_at,
         resolved_at = n.resolved_at, incident_id = n.incident_id
       from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::timestamptz[], $10::int[], $11::int[], $12::timestamptz[], $13::int[], $14::timestamptz[], $15::timestamptz[],
         $16::text[], $17::text[], $18::text[], $19::timestamptz[], $20::boolean[], $21::timestamptz[], $22::timestamptz[], $23::int[])
         as n(id, summary, severity, owner_name, owner_id, labels, generator_url, state, last_seen_at, fire_count, nag_count,
           opened_at, episode_nag_count, last_nag_at, acked_at, acked_by, acked_by_id, ack_note, snoozed_until, habitual,
           next_nag_at, resolved_at, incident_id)
       where w.id = n.id`,
      [
        ws.map((w) => w.id),
        ws.map((w) => w.summary),
        ws.map((w) => w.severity),
        ws.map((w) => w.owner?.name ?? null),
        ws.map((w) => w.owner?.id ?? null),
        ws.map((w) => JSON.stringify(w.labels)),
        ws.map((w) => w.generatorUrl),
        ws.map((w) => w.state),
        ws.map((w) => w.lastSeenAt),
        ws.map((w) => w.fireCount),
        ws.map((w) => w.nagCount),
        ws.map((w) => w.openedAt),
        ws.map((w) => w.episodeNagCount),
        ws.map((w) => w.lastNagAt),
        ws.map((w) => w.ackedAt),
        ws.map((w) => w.ackedBy),
        ws.map((w) => w.ackedById),
        ws.map((w) => w.ackNote),
        ws.map((w) => w.snoozedUntil),
        ws.map((w) => w.habitual),
        ws.map((w) => w.nextNagAt),
        ws.map((w) => w.resolvedAt),
        ws.map((w) => w.incidentId),
      ],
    );
    if (rowCount !== ws.length) throw new Error(`save warnings ${ws.map((w) => w.id).join(', ')}: ${ws.length - rowCount} no such row`);
  }
  return {
    async takeMany(ws) {
      if (ws.length === 0) return [];
      const fingerprints = ws.map((w) => w.fingerprint);
      // Locked in fingerprint order, so two instances taking overlapping batches cannot deadlock.
      const lockExisting = async (wanted: readonly string[]) => {
        const { rows } = await q.query<WarningRow>(
          `select ${WARNING_COLUMNS} from warnings w where w.fingerprint = any($1::text[]) order by w.fingerprint for update`,
          [wanted],
        );
        return rows;
      };
      const found = new Map<string, { warning: Warning; created: boolean }>();
      for (const r of await lockExisting(fingerprints)) found.set(r.fingerprint, { warning: toWarning(r), created: false });
      const missing = ws.filter((w) => !found.has(w.fingerprint));
      if (missing.length > 0) {
        // Looked up first, inserted only when missing: an insert that loses to an existing row would
        // still spend an id, and W-n numbers are what people type. Insert-or-nothing, so two
        // transactions taking one new fingerprint cannot both make it.
        const { rows } = await q.query<WarningRow>(
          `insert into warnings as w (fingerprint, summary, first_seen_at, last_seen_at, opened_at)
           select n.fingerprint, n.summary, n.at, n.at, n.at
           from unnest($1::text[], $2::text[], $3::timestamptz[]) as n(fingerprint, summary, at) order by n.fingerprint
           on conflict (fingerprint) do nothing returning ${WARNING_COLUMNS}`,
          [missing.map((w) => w.fingerprint), missing.map((w) => w.summary), missing.map((w) => w.at)],
        );
        for (const r of rows) found.set(r.fingerprint, { warning: toWarning(r), created: true });
        const raced = missing.filter((w) => !found.has(w.fingerprint)).map((w) => w.fingerprint);
        if (raced.length > 0) for (const r of await lockExisting(raced)) found.set(r.fingerprint, { warning: toWarning(r), created: false });
      }
      return ws.map((w) => {
        const taken = found.get(w.fingerprint);
        if (!taken) throw new Error(`warning ${w.fingerprint} vanished while being taken`);
        return taken;
      });
    },
    lockByFingerprint: (fingerprint) => one('w.fingerprint = $1', [fingerprint], true),
    lock: (id) => one('w.id = $1', [id], true),
    get: (id) => one('w.id = $1', [id], false),
    save: (w) => saveMany([w]),
    saveMany,
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
    async addFirings(firings) {
      if (firings.length === 0) return [];
      // The outer select cannot see the rows its own CTE inserts, so the new firings are added to it.
      const { rows } = await q.query<{ warning_id: number; fired_at: Date }>(
        `with n as (select * from unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) as n(warning_id, fired_at, since)),
         added as (insert into warning_firings (warning_id, fired_at) select warning_id, fired_at from n returning warning_id, fired_at)
         select f.warning_id, f.fired_at from warning_firings f join n using (warning_id) where f.fired_at >= n.since
         union all select a.warning_id, a.fired_at from added a join n using (warning_id) where a.fired_at >= n.since
         order by fired_at`,
        [firings.map((f) => f.warningId), firings.map((f) => f.at), firings.map((f) => f.since)],
      );
      const byWarning = new Map<number, Date[]>();
      for (const r of rows) {
        const list = byWarning.get(r.warning_id);
        if (list) list.push(r.fired_at);
        else byWarning.set(r.warning_id, [r.fired_at]);
      }
      return firings.map((f) => byWarning.get(f.warningId) ?? []);
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
