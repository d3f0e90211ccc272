import type { Queryable } from '../db.ts';
import { eventKey, type ProcessedEventRepository } from '../store.ts';

export function processedEventRepository(q: Queryable): ProcessedEventRepository {
  return {
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
      if (events.length === 0) return;
      // No `on conflict`: an event recorded before fails the commit, and the caller looks again.
      const only = events.length === 1 ? events[0] : undefined;
      if (only) {
        // The usual case, one command per transaction: a plain VALUES plans faster than unnest.
        await q.writeAtCommit(
          'insert into processed_events (platform, event_id, processed_at, reply) values ($1, $2, $3, $4::text::jsonb)',
          [only.platform, only.eventId, only.at, JSON.stringify(only.reply)],
        );
        return;
      }
      await q.writeAtCommit(
        `insert into processed_events (platform, event_id, processed_at, reply)
         select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]::jsonb[])`,
        [events.map((e) => e.platform), events.map((e) => e.eventId), events.map((e) => e.at), events.map((e) => JSON.stringify(e.reply))],
      );
    },
  };
}
