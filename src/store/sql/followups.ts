import type { Followup } from '../../core/model.ts';
import type { Queryable } from '../db.ts';
import type { FollowupRepository } from '../store.ts';
import { first } from './rows.ts';

const FOLLOWUP_COLUMNS = 'id, incident_id, text, owner, owner_id, due_on::text as due_on, created_by, created_by_id, created_at, done_at, done_by, done_by_id';

interface FollowupRow {
  id: number;
  incident_id: number;
  text: string;
  owner: string | null;
  owner_id: string | null;
  due_on: string | null;
  created_by: string;
  created_by_id: string;
  created_at: Date;
  done_at: Date | null;
  done_by: string | null;
  done_by_id: string | null;
}

function toFollowup(r: FollowupRow): Followup {
  return {
    id: r.id,
    incidentId: r.incident_id,
    text: r.text,
    owner: r.owner,
    ownerId: r.owner_id,
    dueOn: r.due_on,
    createdBy: r.created_by,
    createdById: r.created_by_id,
    createdAt: r.created_at,
    doneAt: r.done_at,
    doneBy: r.done_by,
    doneById: r.done_by_id,
  };
}

export function followupRepository(q: Queryable): FollowupRepository {
  return {
    async insert(f) {
      const { rows } = await q.query<FollowupRow>(
        `insert into followups (incident_id, text, owner, owner_id, due_on, created_by, created_by_id, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${FOLLOWUP_COLUMNS}`,
        [f.incidentId, f.text, f.owner, f.ownerId, f.dueOn, f.createdBy, f.createdById, f.createdAt],
      );
      return toFollowup(first(rows, 'insert follow-up'));
    },
    async lock(id) {
      const { rows } = await q.query<FollowupRow>(`select ${FOLLOWUP_COLUMNS} from followups where id = $1 for update`, [id]);
      return rows[0] ? toFollowup(rows[0]) : null;
    },
    async markDone(id, at, by, byId) {
      const { rows } = await q.query<FollowupRow>(
        `update followups set done_at = $2, done_by = $3, done_by_id = $4 where id = $1 returning ${FOLLOWUP_COLUMNS}`,
        [id, at, by, byId],
      );
      return toFollowup(first(rows, 'mark follow-up done'));
    },
    async list(incidentId) {
      const { rows } = await q.query<FollowupRow>(`select ${FOLLOWUP_COLUMNS} from followups where incident_id = $1 order by id`, [incidentId]);
      return rows.map(toFollowup);
    },
  };
}
