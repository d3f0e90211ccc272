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
      // An update whose timeline entry was deleted was taken back: the row stays, for the audit.
      const { rows } = await q.query<StatusRow>(
        `select s.id, s.incident_id, s.state, s.message, s.author, s.author_id, s.posted_at
         from status_updates s join timeline_entries e on e.id = s.entry_id
         where s.incident_id = $1 and e.deleted_at is null order by s.posted_at, s.id`,
        [incidentId],
      );
      return rows.map(toStatusUpdate);
    },
    // By incident as well as entry: status_updates is indexed by incident, not by entry.
    async forEntry(incidentId, entryId) {
      const { rows } = await q.query<StatusRow>(`select ${STATUS_COLUMNS} from status_updates where incident_id = $1 and entry_id = $2`, [
        incidentId,
        entryId,
      ]);
      return rows[0] ? toStatusUpdate(rows[0]) : null;
    },
    async postedSince(since) {
      const { rows } = await q.query<StatusRow>(
        `select s.id, s.incident_id, s.state, s.message, s.author, s.author_id, s.posted_at
         from status_updates s join timeline_entries e on e.id = s.entry_id
         where e.deleted_at is null
           and s.incident_id in (select incident_id from status_updates where posted_at >= $1)
         order by s.posted_at, s.id`,
        [since],
      );
      return rows.map(toStatusUpdate);
    },
    async reword(incidentId, entryId, message) {
      await q.query('update status_updates set message = $3 where incident_id = $1 and entry_id = $2', [incidentId, entryId, message]);
    },
  };
}
