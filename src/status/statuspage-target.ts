import type { Clock } from '../core/clock.ts';
import { incidentRef, type StatusState } from '../core/model.ts';
import type { ExternalIncident } from '../store/store.ts';
import { callApi, field, type HttpCall } from './http-call.ts';
import { impactOf } from './impact.ts';
import { DeliveryFailure, type OutgoingUpdate, type StatusTarget } from './target.ts';

export const STATUSPAGE_API_URL = 'https://api.statuspage.io/v1';

export interface StatuspageSettings {
  apiUrl: string;
  pageId: string;
  apiKey: string;
  /** Components the incidents affect: set from the severity while open, back to operational on resolve. */
  componentIds: readonly string[];
}

/** What a component shows while an incident of this severity is open (SEV1 a major outage … SEV4 degraded). */
function componentStatus(state: StatusState, severity: number): string {
  if (state === 'resolved') return 'operational';
  if (severity <= 1) return 'major_outage';
  if (severity === 2) return 'partial_outage';
  return 'degraded_performance';
}

/** Statuspage caps a name at 255 characters; the INC-n at its end is how a lost create is found again. */
export function statuspageName(u: OutgoingUpdate): string {
  const suffix = ` (${incidentRef(u.incident.id)})`;
  return u.incident.title.slice(0, 255 - suffix.length) + suffix;
}

interface FoundIncident {
  id: string;
  shortlink: string | null;
  latest: { status: unknown; body: unknown } | null;
}

function readIncident(body: unknown): FoundIncident | null {
  const id = field(body, 'id');
  if (typeof id !== 'string' || id === '') return null;
  const shortlink = field(body, 'shortlink');
  const updates = field(body, 'incident_updates');
  // Statuspage lists incident_updates newest first.
  const latest = Array.isArray(updates) && updates.length > 0 ? { status: field(updates[0], 'status'), body: field(updates[0], 'body') } : null;
  return { id, shortlink: typeof shortlink === 'string' ? shortlink : null, latest };
}

/**
 * Atlassian Statuspage (DESIGN §4; research notes §1): the first update creates the incident, later
 * ones PATCH the same incident, the status and component changes in one request. Statuspage has no
 * idempotency key, so an attempt after one whose answer was lost first looks for what that attempt
 * may have done: the incident by its `INC-n` name, or the update as the incident's latest.
 */
export function statuspageTarget(settings: StatuspageSettings, clock: Clock): StatusTarget {
  const base = `${settings.apiUrl.replace(/\/+$/, '')}/pages/${encodeURIComponent(settings.pageId)}/incidents`;
  const headers = { authorization: `OAuth ${settings.apiKey}`, accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'firebell' };
  const call = (method: HttpCall['method'], url: string, signal: AbortSignal, body?: unknown) =>
    callApi({ method, url, headers, signal, now: clock.now(), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  function changes(u: OutgoingUpdate) {
    const components = Object.fromEntries(settings.componentIds.map((id) => [id, componentStatus(u.update.state, u.incident.severity)]));
    return {
      status: u.update.state,
      body: u.update.message,
      impact_override: impactOf(u.incident.severity),
      ...(settings.componentIds.length > 0 ? { component_ids: [...settings.componentIds], components } : {}),
    };
  }

  const alreadyThere = (found: FoundIncident, u: OutgoingUpdate) => found.latest?.status === u.update.state && found.latest.body === u.update.message;

  async function findByName(u: OutgoingUpdate, signal: AbortSignal): Promise<FoundIncident | null> {
    const { body } = await call('GET', `${base}?q=${encodeURIComponent(incidentRef(u.incident.id))}&limit=100`, signal);
    const name = statuspageName(u);
    const match = Array.isArray(body) ? body.find((i) => field(i, 'name') === name) : undefined;
    return match === undefined ? null : readIncident(match);
  }

  async function amend(found: { id: string; link: string | null }, u: OutgoingUpdate, signal: AbortSignal): Promise<ExternalIncident> {
    const { body } = await call('PATCH', `${base}/${encodeURIComponent(found.id)}`, signal, { incident: changes(u) });
    return { externalId: found.id, link: readIncident(body)?.shortlink ?? found.link };
  }

  return {
    name: 'statuspage',
    async send(u, signal) {
      if (u.external) {
        if (u.attempt > 1) {
          const { body } = await call('GET', `${base}/${encodeURIComponent(u.external.externalId)}`, signal);
          const found = readIncident(body);
          if (found && alreadyThere(found, u)) return { externalId: found.id, link: found.shortlink ?? u.external.link };
        }
        return amend({ id: u.external.externalId, link: u.external.link }, u, signal);
      }
      if (u.attempt > 1) {
        const found = await findByName(u, signal);
        if (found) return alreadyThere(found, u) ? { externalId: found.id, link: found.shortlink } : amend({ id: found.id, link: found.shortlink }, u, signal);
      }
      const { body } = await call('POST', base, signal, {
        incident: { name: statuspageName(u), ...changes(u), deliver_notifications: true, metadata: { firebell: { incident: incidentRef(u.incident.id) } } },
      });
      const made = readIncident(body);
      if (!made) throw new DeliveryFailure('Statuspage created the incident but its answer has no id');
      return { externalId: made.id, link: made.shortlink };
    },
  };
}
