import type { StatusState } from '../../core/model.ts';
import type { Queryable } from '../db.ts';
import type { ClaimedStatusDelivery, DeliveryState, StatusDelivery, StatusDeliveryRepository, StuckStatusDelivery } from '../store.ts';
import { toIncident, type IncidentRow } from './incidents.ts';

const DELIVERY_COLUMNS =
  'd.id::int as id, d.update_id, d.incident_id, d.target, d.state, d.attempts, d.created_at, d.due_at, d.last_error, d.settled_at, d.stuck_reported_at, s.state as update_state, s.entry_id as update_entry_id';

interface DeliveryRow {
  id: number;
  update_id: number;
  incident_id: number;
  target: string;
  state: DeliveryState;
  attempts: number;
  created_at: Date;
  due_at: Date;
  last_error: string | null;
  settled_at: Date | null;
  stuck_reported_at: Date | null;
  update_state: StatusState;
  update_entry_id: number;
}

/** The incident's columns, renamed so they do not collide with the delivery's. */
const CLAIMED_INCIDENT_COLUMNS =
  'i.title, i.severity, i.state as incident_state, i.time_zone, i.started_at, i.resolved_at, i.closed_at, i.opened_by, i.opened_by_id, i.opened_at';

interface WithIncidentRow extends DeliveryRow, Omit<IncidentRow, 'id' | 'state'> {
  incident_state: IncidentRow['state'];
}

interface ClaimedRow extends WithIncidentRow {
  message: string;
  author: string;
  author_id: string;
  posted_at: Date;
  external_id: string | null;
  link: string | null;
}

function toDelivery(r: DeliveryRow): StatusDelivery {
  return {
    id: Number(r.id),
    updateId: r.update_id,
    incidentId: r.incident_id,
    target: r.target,
    state: r.state,
    attempts: r.attempts,
    createdAt: r.created_at,
    dueAt: r.due_at,
    lastError: r.last_error,
    settledAt: r.settled_at,
    stuckReportedAt: r.stuck_reported_at,
    updateState: r.update_state,
    updateEntryId: r.update_entry_id,
  };
}

function toStuck(r: WithIncidentRow): StuckStatusDelivery {
  return { ...toDelivery(r), incident: toIncident({ ...r, id: r.incident_id, state: r.incident_state }) };
}

function toClaimed(r: ClaimedRow): ClaimedStatusDelivery {
  return {
    ...toStuck(r),
    update: {
      id: r.update_id,
      incidentId: r.incident_id,
      state: r.update_state,
      message: r.message,
      author: r.author,
      authorId: r.author_id,
      postedAt: r.posted_at,
    },
    external: r.external_id === null ? null : { externalId: r.external_id, link: r.link },
  };
}

export function statusDeliveryRepository(q: Queryable): StatusDeliveryRepository {
  return {
    async enableTargets(names) {
      await q.query('update status_targets set enabled = (name = any($1::text[]))', [names]);
      await q.query(
        `insert into status_targets (name, enabled) select t, true from unnest($1::text[]) as t
         on conflict (name) do update set enabled = true`,
        [names],
      );
    },
    async enqueue(updateId, incidentId, at) {
      const { rows } = await q.query<DeliveryRow>(
        `with made as (
           insert into status_deliveries (update_id, incident_id, target, created_at, due_at)
           select $1, $2, t.name, $3, $3 from status_targets t where t.enabled
           on conflict (target, update_id) do nothing
           returning *)
         select ${DELIVERY_COLUMNS} from made d join status_updates s on s.id = d.update_id order by d.id`,
        [updateId, incidentId, at],
      );
      return rows.map(toDelivery);
    },
    async claim(targets, now, leaseUntil, limit) {
      if (targets.length === 0) return [];
      const { rows: claimed } = await q.query<{ id: string }>(
        `with due as (
           select d.id from status_deliveries d
           where d.target = any($1::text[]) and d.state = 'pending' and d.due_at <= $2
             and not exists (
               select 1 from status_deliveries e
               where e.target = d.target and e.incident_id = d.incident_id and e.state = 'pending' and e.id < d.id)
           order by d.id
           limit $4
           for update skip locked
         )
         update status_deliveries d set due_at = $3, attempts = d.attempts + 1
         from due where d.id = due.id
         returning d.id::text as id`,
        [targets, now, leaseUntil, limit],
      );
      if (claimed.length === 0) return [];
      const { rows } = await q.query<ClaimedRow>(
        `select ${DELIVERY_COLUMNS}, ${CLAIMED_INCIDENT_COLUMNS}, s.message, s.author, s.author_id, s.posted_at, x.external_id, x.link
         from status_deliveries d
         join status_updates s on s.id = d.update_id
         join incidents i on i.id = d.incident_id
         left join status_external_incidents x on x.target = d.target and x.incident_id = d.incident_id
         where d.id = any($1::bigint[]) order by d.id`,
        [claimed.map((c) => c.id)],
      );
      return rows.map(toClaimed);
    },
    async delivered(id, at, external) {
      // One statement: a claim never sees the delivery settled without the external incident it
      // made, which would make the next update create a second one.
      await q.query(
        `with settled as (
           update status_deliveries set state = 'delivered', settled_at = $2, last_error = null where id = $1 returning target, incident_id
         )
         insert into status_external_incidents (target, incident_id, external_id, link)
         select target, incident_id, $3::text, $4::text from settled where $3::text is not null
         on conflict (target, incident_id) do update set external_id = excluded.external_id, link = coalesce(excluded.link, status_external_incidents.link)`,
        [id, at, external?.externalId ?? null, external?.link ?? null],
      );
    },
    async failed(id, error, retryAt, at) {
      await q.query(
        `update status_deliveries set last_error = $2,
           state = case when $3::timestamptz is null then 'dead' else 'pending' end,
           due_at = coalesce($3::timestamptz, due_at),
           settled_at = case when $3::timestamptz is null then $4::timestamptz else null end
         where id = $1`,
        [id, error.slice(0, 2000), retryAt, at],
      );
    },
    async retry(id, at) {
      const { rows } = await q.query<DeliveryRow>(
        `with again as (
           update status_deliveries set state = 'pending', attempts = 0, created_at = $2, due_at = $2, settled_at = null,
             stuck_reported_at = null
           where id = $1 and state = 'dead' returning *)
         select ${DELIVERY_COLUMNS} from again d join status_updates s on s.id = d.update_id`,
        [id, at],
      );
      return rows[0] ? toDelivery(rows[0]) : null;
    },
    async list(states, limit) {
      const { rows } = await q.query<DeliveryRow>(
        `select ${DELIVERY_COLUMNS} from status_deliveries d join status_updates s on s.id = d.update_id
         where d.state = any($1::text[]) order by d.id limit $2`,
        [states, limit],
      );
      return rows.map(toDelivery);
    },
    async forIncident(incidentId) {
      const { rows } = await q.query<DeliveryRow>(
        `select ${DELIVERY_COLUMNS} from status_deliveries d join status_updates s on s.id = d.update_id
         where d.incident_id = $1 order by d.id`,
        [incidentId],
      );
      return rows.map(toDelivery);
    },
    async nextDueAt(targets) {
      const { rows } = await q.query<{ at: Date | null }>(
        `select min(due_at) as at from status_deliveries where target = any($1::text[]) and state = 'pending'`,
        [targets],
      );
      return rows[0]?.at ?? null;
    },
    async claimStuck(madeBy, limit) {
      const { rows } = await q.query<WithIncidentRow>(
        `select ${DELIVERY_COLUMNS}, ${CLAIMED_INCIDENT_COLUMNS}
         from status_deliveries d
         join status_updates s on s.id = d.update_id
         join incidents i on i.id = d.incident_id
         where d.state = 'pending' and d.stuck_reported_at is null and d.created_at <= $1
         order by d.created_at, d.id
         limit $2
         for update of d skip locked`,
        [madeBy, limit],
      );
      return rows.map(toStuck);
    },
    async stuckReported(ids, at) {
      if (ids.length === 0) return;
      await q.query('update status_deliveries set stuck_reported_at = $2 where id = any($1::bigint[])', [ids, at]);
    },
    async oldestUnreported() {
      const { rows } = await q.query<{ at: Date | null }>(
        `select min(created_at) as at from status_deliveries where state = 'pending' and stuck_reported_at is null`,
      );
      return rows[0]?.at ?? null;
    },
    async counts() {
      const { rows } = await q.query<{ pending: number; dead: number }>(
        `select (select count(*) from status_deliveries where state = 'pending')::int as pending,
                (select count(*) from status_deliveries where state = 'dead')::int as dead`,
      );
      return rows[0] ?? { pending: 0, dead: 0 };
    },
  };
}
