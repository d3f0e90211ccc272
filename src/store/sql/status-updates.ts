import type { StatusState, StatusUpdate } from '../../core/model.ts';
import type { Queryable } from '../db.ts';
import type { StatusUpdateRepository } from '../store.ts';
import { first } from './rows.ts';

const STATUS_COLUMNS = 'id, incident_id, state, message, author, author_id, posted_at';

interface StatusRow {
  id: number;
  incident_id: number;
  state: StatusState;
  message: string;
  author: string;
  author_id: string;
  posted_at: Date;
}

function toStatusUpdate(r: StatusRow): StatusUpdate {
  return {
    id: r.id,
    incidentId: r.incident_id,
    state: r.state,
    message: r.message,
    author: r.author,
    authorId: r.author_id,
    postedAt: r.posted_at,
  };
}

export function statusUpdateRepository(q: Queryable): StatusUpdateRepository {
  return {
    async insert(u) {
      const { rows } = await q.query<StatusRow>(
        `insert into status_updates (incident_id, state, message, author, author_id, posted_at, entry_id)
         values ($1, $2, $3, $4, $5, $6, $7) returning ${STATUS_COLUMNS}`,
        [u.incidentId, u.state, u.message, u.author, u.authorId, u.postedAt, u.entryId],
      );
      return toStatusUpdate(first(rows, 'insert status update'));
    },
    async list(incidentId) {
      const { rows } = await q.query<StatusRow>(
        `select ${STATUS_COLUMNS} from status_updates where incident_id = $1 order by posted_at, id`,
        [incidentId],
      );
      return rows.map(toStatusUpdate);
    },
  };
}
