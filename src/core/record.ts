import type { Store } from '../store/store.ts';
import type { Followup, Incident, RoleAssignment, StatusUpdate, TimelineEntry, TimelineRevision } from './model.ts';

/** Everything recorded about one incident: what `show` summarises and the postmortem renders. */
export interface IncidentRecord {
  incident: Incident;
  /** All entries in time order, deleted ones included (they are marked). */
  entries: TimelineEntry[];
  revisions: TimelineRevision[];
  roles: RoleAssignment[];
  statusUpdates: StatusUpdate[];
  followups: Followup[];
}

export async function loadIncidentRecord(store: Store, incidentId: number): Promise<IncidentRecord | null> {
  const incident = await store.incidents.get(incidentId);
  if (!incident) return null;
  const [entries, revisions, roles, statusUpdates, followups] = await Promise.all([
    store.timeline.list(incidentId),
    store.timeline.revisions(incidentId),
    store.roles.list(incidentId),
    store.statusUpdates.list(incidentId),
    store.followups.list(incidentId),
  ]);
  return { incident, entries, revisions, roles, statusUpdates, followups };
}
