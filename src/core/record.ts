import type { Store } from '../store/store.ts';
import type { Followup, Incident, RoleAssignment, StatusUpdate, TimelineEntry, TimelineRevision } from './model.ts';
import { GENERIC_LABELS, precedingWarnings, precedingWindow, type PrecedingWarning } from './preceding-warnings.ts';

export type { PrecedingWarning } from './preceding-warnings.ts';

/** What one status-page target did with one public update. */
export interface StatusDelivery {
  /** The number `deliveries retry <id>` takes. */
  id: number;
  statusUpdateId: number;
  /** The timeline entry that announced the update: `show` puts the results beside it. */
  statusEntryId: number;
  target: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** Everything recorded about one incident: what `show` summarises and the postmortem renders. */
export interface IncidentRecord {
  incident: Incident;
  /** All entries in time order, deleted ones included (they are marked). */
  entries: TimelineEntry[];
  revisions: TimelineRevision[];
  roles: RoleAssignment[];
  statusUpdates: StatusUpdate[];
  followups: Followup[];
  /** Absent where deliveries are not recorded yet. */
  deliveries?: StatusDelivery[];
  /** Absent where warnings are not recorded yet. */
  warnings?: PrecedingWarning[];
}

/** The record less its timeline: small, whatever the incident's size. */
export type IncidentRecordHead = Omit<IncidentRecord, 'entries'>;

/**
 * A record whose timeline is read a page at a time, in time order, each time it is iterated: an
 * export of 100,000 entries never holds them all.
 */
export interface IncidentRecordPages {
  head: IncidentRecordHead;
  entryPages(): AsyncIterable<TimelineEntry[]>;
}

const PAGE_SIZE = 1_000;

async function loadHead(store: Store, incidentId: number): Promise<IncidentRecordHead | null> {
  const incident = await store.incidents.get(incidentId);
  if (!incident) return null;
  const [revisions, roles, statusUpdates, followups, deliveries, warnings] = await Promise.all([
    store.timeline.revisions(incidentId),
    store.roles.list(incidentId),
    store.statusUpdates.list(incidentId),
    store.followups.list(incidentId),
    store.statusDeliveries.forIncident(incidentId),
    store.warnings.beforeIncident(incidentId, precedingWindow(incident), GENERIC_LABELS),
  ]);
  return {
    incident,
    revisions,
    roles,
    statusUpdates,
    followups,
    deliveries: deliveries.map((d) => ({
      id: d.id,
      statusUpdateId: d.updateId,
      statusEntryId: d.updateEntryId,
      target: d.target,
      state: d.state,
      attempts: d.attempts,
      lastError: d.lastError,
      deliveredAt: d.state === 'delivered' ? d.settledAt : null,
    })),
    warnings: precedingWarnings(incident, warnings),
  };
}

export async function loadIncidentRecord(store: Store, incidentId: number): Promise<IncidentRecord | null> {
  const [head, entries] = await Promise.all([loadHead(store, incidentId), store.timeline.list(incidentId)]);
  return head ? { ...head, entries } : null;
}

export async function openIncidentRecord(store: Store, incidentId: number, pageSize = PAGE_SIZE): Promise<IncidentRecordPages | null> {
  const head = await loadHead(store, incidentId);
  if (!head) return null;
  return {
    head,
    async *entryPages() {
      let after: TimelineEntry | null = null;
      for (;;) {
        const page = await store.timeline.page(incidentId, after, pageSize);
        if (page.length > 0) yield page;
        if (page.length < pageSize) return;
        after = page.at(-1)!;
      }
    },
  };
}
