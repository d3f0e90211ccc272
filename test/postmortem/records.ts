import type { EntryKind, TimelineEntry } from '../../src/core/model.ts';
import type { IncidentRecord } from '../../src/core/record.ts';

/** Records the postmortem tests render: built by hand, as the store would load them. */

export const at = (iso: string) => new Date(iso);

export function entry(id: number, occurredAt: string, kind: EntryKind, text: string, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id,
    incidentId: 1,
    occurredAt: at(occurredAt),
    recordedAt: at(occurredAt),
    author: 'dana',
    authorId: 'slack:dana',
    addedBy: null,
    addedById: null,
    kind,
    text,
    sourcePlatform: 'slack',
    deletedAt: null,
    deletedBy: null,
    deletedById: null,
    ...extra,
  };
}

/**
 * A SEV2 in Berlin that starts at 23:40 on Sunday 1 March and runs past midnight: one entry
 * deleted, one edited, a role, a status update and two action items.
 */
export function berlinRecord(): IncidentRecord {
  return {
    incident: {
      id: 1,
      title: 'Checkout API returning 502s',
      severity: 2,
      state: 'resolved',
      timeZone: 'Europe/Berlin',
      startedAt: at('2026-03-01T22:40:00Z'),
      resolvedAt: at('2026-03-02T00:25:00Z'),
      closedAt: at('2026-03-02T00:40:00Z'),
      openedBy: 'dana',
      openedById: 'slack:dana',
      openedAt: at('2026-03-01T22:41:00Z'),
    },
    entries: [
      entry(1, '2026-03-01T22:40:00Z', 'opened', 'Checkout API returning 502s'),
      entry(2, '2026-03-01T22:52:00Z', 'action', 'Rolled back | release 4812'),
      entry(3, '2026-03-01T22:58:00Z', 'note', 'wrong incident', { deletedAt: at('2026-03-01T23:30:00Z'), deletedBy: 'sam' }),
      // 23:05 UTC is 00:05 the next day in Berlin.
      entry(4, '2026-03-01T23:05:00Z', 'note', 'Error rate falling'),
      entry(5, '2026-03-02T00:25:00Z', 'resolved', 'Resolved', { author: 'sam', authorId: 'slack:sam' }),
    ],
    revisions: [
      { entryId: 4, action: 'edit', previousText: 'error rate fallin', newText: 'Error rate falling', changedBy: 'sam', changedById: 'slack:sam', changedAt: at('2026-03-01T23:20:00Z') },
      { entryId: 3, action: 'delete', previousText: 'wrong incident', newText: null, changedBy: 'sam', changedById: 'slack:sam', changedAt: at('2026-03-01T23:30:00Z') },
    ],
    roles: [{ role: 'commander', holder: 'dana', holderId: 'slack:dana', assignedBy: 'dana', assignedById: 'slack:dana', assignedAt: at('2026-03-01T22:41:00Z') }],
    statusUpdates: [
      { id: 1, incidentId: 1, state: 'investigating', message: 'We are investigating errors at checkout.', author: 'sam', authorId: 'slack:sam', postedAt: at('2026-03-01T22:45:00Z') },
      { id: 2, incidentId: 1, state: 'resolved', message: 'Checkout works again.', author: 'sam', authorId: 'slack:sam', postedAt: at('2026-03-02T00:25:00Z') },
    ],
    followups: [
      { id: 1, incidentId: 1, text: 'Add a canary for 502s', owner: 'sam', ownerId: 'slack:sam', dueOn: '2026-03-15', createdBy: 'dana', createdById: 'slack:dana', createdAt: at('2026-03-02T00:30:00Z'), doneAt: null, doneBy: null, doneById: null },
      { id: 2, incidentId: 1, text: 'Review *alert* thresholds', owner: null, ownerId: null, dueOn: null, createdBy: 'dana', createdById: 'slack:dana', createdAt: at('2026-03-02T00:31:00Z'), doneAt: null, doneBy: null, doneById: null },
    ],
  };
}

/** The same incident, still going on, with nothing recorded but its opening. */
export function ongoingRecord(timeZone: string): IncidentRecord {
  const r = berlinRecord();
  return {
    incident: { ...r.incident, state: 'investigating', timeZone, resolvedAt: null, closedAt: null },
    entries: [r.entries[0]!],
    revisions: [],
    roles: [],
    statusUpdates: [],
    followups: [],
  };
}

/**
 * Berlin falls back on Sunday 25 October 2026: at 03:00 CEST (01:00 UTC) clocks go back to 02:00 CET,
 * so 02:00-02:59 happens twice. Entries the evening before, four in the doubled hour, one after midnight.
 */
export function fallBackRecord(timeZone: string): IncidentRecord {
  return {
    incident: {
      id: 7,
      title: 'Batch jobs ran twice',
      severity: 3,
      state: 'resolved',
      timeZone,
      startedAt: at('2026-10-24T21:30:00Z'),
      resolvedAt: at('2026-10-25T23:05:00Z'),
      closedAt: null,
      openedBy: 'dana',
      openedById: 'slack:dana',
      openedAt: at('2026-10-24T21:30:00Z'),
    },
    entries: [
      entry(1, '2026-10-24T21:30:00Z', 'opened', 'Batch jobs ran twice'),
      entry(2, '2026-10-25T00:45:00Z', 'note', 'first run of the 02:45 job'),
      entry(3, '2026-10-25T01:10:00Z', 'note', 'scheduler restarted'),
      entry(4, '2026-10-25T01:30:00Z', 'action', 'paused the queue'),
      entry(5, '2026-10-25T01:45:00Z', 'note', 'second run of the 02:45 job'),
      entry(6, '2026-10-25T23:05:00Z', 'resolved', 'Resolved'),
    ],
    revisions: [{ entryId: 3, action: 'edit', previousText: 'schedulr', newText: 'scheduler restarted', changedBy: 'sam', changedById: 'slack:sam', changedAt: at('2026-10-25T01:50:00Z') }],
    roles: [],
    statusUpdates: [{ id: 1, incidentId: 7, state: 'identified', message: 'Jobs ran twice.', author: 'sam', authorId: 'slack:sam', postedAt: at('2026-10-25T01:20:00Z') }],
    followups: [],
  };
}

