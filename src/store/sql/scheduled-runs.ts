import type { Queryable } from '../db.ts';
import type { ScheduledRunRepository } from '../store.ts';

export function scheduledRunRepository(q: Queryable): ScheduledRunRepository {
  return {
    async take(name, slotAt) {
      // One statement: of several instances asking for one slot, exactly one gets a row back.
      const { rows } = await q.query(
        `insert into scheduled_runs (name, last_slot_at) values ($1, $2)
         on conflict (name) do update set last_slot_at = excluded.last_slot_at
           where scheduled_runs.last_slot_at < excluded.last_slot_at
         returning name`,
        [name, slotAt],
      );
      return rows.length === 1;
    },
  };
}
