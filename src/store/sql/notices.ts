import type { Queryable } from '../db.ts';
import type { NoticeRepository } from '../store.ts';

interface ClaimedRow {
  notice_id: string;
  consumer: string;
  body: unknown;
  attempts: number;
  created_at: Date;
}

export function noticeRepository(q: Queryable): NoticeRepository {
  return {
    async enqueue(notices, at) {
      // One statement per run of notices with the same consumers (a scheduler tick keeps a
      // thousand at once); runs are taken in order, so ids keep the order the notices were made in.
      for (let start = 0; start < notices.length; ) {
        const consumers = notices[start]!.consumers;
        let end = start + 1;
        while (end < notices.length && sameConsumers(notices[end]!.consumers, consumers)) end++;
        const run = notices.slice(start, end);
        await q.query(
          `with kept as (
             insert into notices (body, incident_id, created_at)
             select n.body::jsonb, n.incident_id, $4 from unnest($1::text[], $2::int[]) with ordinality as n(body, incident_id, ord)
             order by n.ord
             returning id, incident_id)
           insert into notice_deliveries (notice_id, consumer, incident_id, due_at)
           select kept.id, c.consumer, kept.incident_id, $4 from kept cross join unnest($3::text[]) as c(consumer)`,
          [run.map((n) => JSON.stringify(n.body)), run.map((n) => n.incidentId), consumers, at],
        );
        start = end;
      }
    },
    async claim(consumer, now, leaseUntil, limit) {
      const { rows } = await q.query<ClaimedRow>(
        `with due as (
           select d.notice_id from notice_deliveries d
           where d.consumer = $1 and d.state = 'pending' and d.due_at <= $2
             and (d.incident_id is null or not exists (
               select 1 from notice_deliveries e
               where e.consumer = d.consumer and e.incident_id = d.incident_id and e.state = 'pending' and e.notice_id < d.notice_id))
           order by d.notice_id
           limit $4
           for update skip locked
         )
         update notice_deliveries d set due_at = $3, attempts = d.attempts + 1
         from due, notices n
         where d.consumer = $1 and d.notice_id = due.notice_id and n.id = d.notice_id
         returning d.notice_id::text as notice_id, d.consumer, n.body, d.attempts, n.created_at`,
        [consumer, now, leaseUntil, limit],
      );
      return rows
        .map((r) => ({ noticeId: Number(r.notice_id), consumer: r.consumer, body: r.body, attempts: r.attempts, createdAt: r.created_at }))
        .sort((a, b) => a.noticeId - b.noticeId);
    },
    async delivered(consumer, noticeId) {
      await q.query('delete from notice_deliveries where consumer = $1 and notice_id = $2', [consumer, noticeId]);
    },
    async failed(consumer, noticeId, error, retryAt) {
      await q.query(
        `update notice_deliveries set last_error = $3, state = case when $4::timestamptz is null then 'dead' else 'pending' end,
           due_at = coalesce($4::timestamptz, due_at)
         where consumer = $1 and notice_id = $2`,
        [consumer, noticeId, error.slice(0, 2000), retryAt],
      );
    },
    async nextDueAt(consumer) {
      const { rows } = await q.query<{ at: Date | null }>(
        `select min(due_at) as at from notice_deliveries where consumer = $1 and state = 'pending'`,
        [consumer],
      );
      return rows[0]?.at ?? null;
    },
    async counts(consumer) {
      const { rows } = await q.query<{ pending: number; dead: number }>(
        `select count(*) filter (where state = 'pending')::int as pending, count(*) filter (where state = 'dead')::int as dead
         from notice_deliveries where consumer = $1`,
        [consumer],
      );
      return rows[0] ?? { pending: 0, dead: 0 };
    },
  };
}

function sameConsumers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}
