import { incidentRef } from '../../core/model.ts';
import { impactOf } from '../impact.ts';
import type { SiteIncident } from './snapshot.ts';
import { incidentPagePath, newestFirst, type SiteView } from './view.ts';

/**
 * status.json, shaped like Statuspage's public summary.json so widgets that read one read this
 * (README "Status site"). Instants are ISO 8601 UTC.
 */
export function renderStatusJson(view: SiteView): string {
  const incident = (i: SiteIncident) => {
    const updates = newestFirst(i);
    return {
      id: incidentRef(i.id),
      name: i.title,
      status: i.state,
      impact: impactOf(i.severity),
      created_at: i.startedAt.toISOString(),
      updated_at: (updates[0]?.postedAt ?? i.startedAt).toISOString(),
      resolved_at: i.resolvedAt?.toISOString() ?? null,
      shortlink: view.baseUrl ? view.baseUrl + incidentPagePath(i.id) : incidentPagePath(i.id),
      incident_updates: updates.map((u) => ({ status: u.state, body: u.message, created_at: u.postedAt.toISOString(), display_at: u.postedAt.toISOString() })),
    };
  };
  const body = {
    schema: 'firebell-status/1',
    page: { name: view.name, url: view.baseUrl, updated_at: view.generatedAt.toISOString(), time_zone: 'UTC' },
    status: { indicator: view.indicator, description: view.description },
    incidents: [...view.active, ...view.history].map(incident),
  };
  return JSON.stringify(body, null, 2) + '\n';
}
