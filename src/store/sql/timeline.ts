import type { EntryKind, TimelineEntry, TimelineRevision } from '../../core/model.ts';
import type { Queryable } from '../db.ts';
import type { NewTimelineEntry, TimelineRepository } from '../store.ts';
import { first } from './rows.ts';

const ENTRY_COLUMNS =
  'id, incident_id, occurred_at, recorded_at, author, author_id, added_by, added_by_id, kind, text, source_platform, deleted_at, deleted_by, deleted_by_id';

interface EntryRow {
  id: number;
  incident_id: number;
  occurred_at: Date;
  recorded_at: Date;
  author: string;
  author_id: string;
  added_by: string | null;
  added_by_id: string | null;
  kind: EntryKind;
  text: string;
  source_platform: string;
  deleted_at: Date | null;
  deleted_by: string | null;
  deleted_by_id: string | null;
}

function toEntry(r: EntryRow): TimelineEntry {
  return {
    id: r.id,
    incidentId: r.incident_id,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    author: r.author,
    authorId: r.author_id,
    addedBy: r.added_by,
    addedById: r.added_by_id,
    kind: r.kind,
    text: r.text,
    sourcePlatform: r.source_platform,
    deletedAt: r.deleted_at,
    deletedBy: r.deleted_by,
    deletedById: r.deleted_by_id,
  };
}

interface RevisionRow {
  entry_id: number;
  action: 'edit' | 'delete';
  previous_text: string;
  new_text: string | null;
  changed_by: string;
  changed_by_id: string;
  changed_at: Date;
}

/** The entry as it now stands, from what was written and the id it was given. */
function written(e: NewTimelineEntry, id: number): TimelineEntry {
  const { sourceEventId: _key, ...entry } = e;
  return { ...entry, id, deletedAt: null, deletedBy: null, deletedById: null };
}

export function timelineRepository(q: Queryable): TimelineRepository {
  const repository: TimelineRepository = {
    async insert(e: NewTimelineEntry) {
      // Only the id comes back: the rest is what was written, and every column returned costs
      // a conversion on each side of the hottest statement firebell runs.
      const { rows } = await q.query<{ id: number }>(
        `insert into timeline_entries
           (incident_id, occurred_at, recorded_at, author, author_id, added_by, added_by_id, kind, text, source_platform, source_event_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
        [e.incidentId, e.occurredAt, e.recordedAt, e.author, e.authorId, e.addedBy, e.addedById, e.kind, e.text, e.sourcePlatform, e.sourceEventId],
      );
      return written(e, first(rows, 'insert timeline entry').id);
    },
    async insertMany(entries) {
      const only = entries.length === 1 ? entries[0] : undefined;
      if (only) return [await repository.insert(only)];
      if (entries.length === 0) return [];
      // Ids are drawn in the order the rows are inserted, which is the order given.
      const { rows } = await q.query<{ id: number }>(
        `insert into timeline_entries
           (incident_id, occurred_at, recorded_at, author, author_id, added_by, added_by_id, kind, text, source_platform, source_event_id)
         select incident_id, occurred_at, recorded_at, author, author_id, added_by, added_by_id, kind, text, source_platform, source_event_id
         from unnest($1::int[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           with ordinality as e(incident_id, occurred_at, recorded_at, author, author_id, added_by, added_by_id, kind, text, source_platform, source_event_id, n)
         order by n
         returning id`,
        [
          entries.map((e) => e.incidentId),
          entries.map((e) => e.occurredAt),
          entries.map((e) => e.recordedAt),
          entries.map((e) => e.author),
          entries.map((e) => e.authorId),
          entries.map((e) => e.addedBy),
          entries.map((e) => e.addedById),
          entries.map((e) => e.kind),
          entries.map((e) => e.text),
          entries.map((e) => e.sourcePlatform),
          entries.map((e) => e.sourceEventId),
        ],
      );
      if (rows.length !== entries.length) throw new Error(`inserted ${rows.length} of ${entries.length} timeline entries`);
      const ids = rows.map((r) => r.id).sort((a, b) => a - b);
      return entries.map((e, i) => written(e, ids[i]!));
    },
    async get(id) {
      const { rows } = await q.query<EntryRow>(`select ${ENTRY_COLUMNS} from timeline_entries where id = $1`, [id]);
      return rows[0] ? toEntry(rows[0]) : null;
    },
    async findBySource(sourcePlatform, sourceEventId) {
      const { rows } = await q.query<EntryRow>(
        `select ${ENTRY_COLUMNS} from timeline_entries
         where source_platform = $1 and source_event_id = $2 and deleted_at is null order by id limit 1`,
        [sourcePlatform, sourceEventId],
      );
      return rows[0] ? toEntry(rows[0]) : null;
    },
    async latestOccurredAt(incidentId) {
      const { rows } = await q.query<{ at: Date | null }>(
        'select max(occurred_at) as at from timeline_entries where incident_id = $1 and deleted_at is null',
        [incidentId],
      );
      return rows[0]?.at ?? null;
    },
    async list(incidentId) {
      const { rows } = await q.query<EntryRow>(
        `select ${ENTRY_COLUMNS} from timeline_entries where incident_id = $1 order by occurred_at, id`,
        [incidentId],
      );
      return rows.map(toEntry);
    },
    async latestLive(incidentId, limit) {
      const [counted, latest] = await Promise.all([
        q.query<{ n: number }>('select count(*)::int as n from timeline_entries where incident_id = $1 and deleted_at is null', [incidentId]),
        // The (incident_id, occurred_at, id) index read backwards, from the end of the timeline.
        q.query<EntryRow>(
          `select ${ENTRY_COLUMNS} from timeline_entries where incident_id = $1 and deleted_at is null
           order by occurred_at desc, id desc limit $2`,
          [incidentId, limit],
        ),
      ]);
      return { count: counted.rows[0]?.n ?? 0, entries: latest.rows.map(toEntry).reverse() };
    },
    async page(incidentId, after, limit) {
      // Keyset paging on the (incident_id, occurred_at, id) index: each page costs the same.
      const { rows } = after
        ? await q.query<EntryRow>(
            `select ${ENTRY_COLUMNS} from timeline_entries
             where incident_id = $1 and (occurred_at, id) > ($2, $3) order by occurred_at, id limit $4`,
            [incidentId, after.occurredAt, after.id, limit],
          )
        : await q.query<EntryRow>(`select ${ENTRY_COLUMNS} from timeline_entries where incident_id = $1 order by occurred_at, id limit $2`, [
            incidentId,
            limit,
          ]);
      return rows.map(toEntry);
    },
    async revise(r: TimelineRevision) {
      await q.query(
        `insert into timeline_revisions (entry_id, action, previous_text, new_text, changed_by, changed_by_id, changed_at)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [r.entryId, r.action, r.previousText, r.newText, r.changedBy, r.changedById, r.changedAt],
      );
      if (r.action === 'edit') {
        await q.query('update timeline_entries set text = $2 where id = $1', [r.entryId, r.newText]);
      } else {
        await q.query('update timeline_entries set deleted_at = $2, deleted_by = $3, deleted_by_id = $4 where id = $1', [
          r.entryId,
          r.changedAt,
          r.changedBy,
          r.changedById,
        ]);
      }
    },
    async revisions(incidentId) {
      const { rows } = await q.query<RevisionRow>(
        `select r.entry_id, r.action, r.previous_text, r.new_text, r.changed_by, r.changed_by_id, r.changed_at
         from timeline_revisions r join timeline_entries e on e.id = r.entry_id
         where e.incident_id = $1 order by r.changed_at, r.id`,
        [incidentId],
      );
      return rows.map((r) => ({
        entryId: r.entry_id,
        action: r.action,
        previousText: r.previous_text,
        newText: r.new_text,
        changedBy: r.changed_by,
        changedById: r.changed_by_id,
        changedAt: r.changed_at,
      }));
    },
  };
  return repository;
}
