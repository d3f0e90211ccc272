import type { Clock } from '../core/clock.ts';
import type { StatusState } from '../core/model.ts';
import { incidentRef } from '../core/model.ts';
import type { ExternalIncident } from '../store/store.ts';
import { callApi, field, type HttpCall } from './http-call.ts';
import { DeliveryFailure, type OutgoingUpdate, type StatusTarget } from './target.ts';

export interface CachetSettings {
  /** The Cachet site, e.g. https://status.example.com (the API is under /api/v1). */
  url: string;
  token: string;
}

/** Cachet 2.x incident statuses: 1 Investigating, 2 Identified, 3 Watching, 4 Fixed. */
export const CACHET_STATUS: Record<StatusState, number> = { investigating: 1, identified: 2, monitoring: 3, resolved: 4 };

/** Cachet keeps a name in 255 characters; the INC-n at its end is how a lost create is found again. */
export function cachetName(u: OutgoingUpdate): string {
  const suffix = ` (${incidentRef(u.incident.id)})`;
  return u.incident.title.slice(0, 255 - suffix.length) + suffix;
}

/**
 * Cachet 2.x, API v1 (research notes §2.1): the first update creates the incident, later ones are
 * incident updates. Every request carries `Accept: application/json` (else 406); `visible`,
 * `stickied` and `notify` are sent as real booleans, since a missing one is reset or refused.
 * Cachet has no idempotency key either: an attempt after one whose answer was lost first looks for
 * what it may have done (the incident by its name, the update as the incident's latest), as for
 * Statuspage.
 */
export function cachetTarget(settings: CachetSettings, clock: Clock): StatusTarget {
  const api = `${settings.url.replace(/\/+$/, '')}/api/v1`;
  const headers = { 'x-cachet-token': settings.token, accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'firebell' };
  const post = (url: string, signal: AbortSignal, body: unknown) =>
    callApi({ method: 'POST' satisfies HttpCall['method'], url, headers, signal, now: clock.now(), body: JSON.stringify(body) });
  const get = async (url: string, signal: AbortSignal): Promise<unknown[]> => {
    const { body } = await callApi({ method: 'GET' satisfies HttpCall['method'], url, headers, signal, now: clock.now() });
    const data = field(body, 'data');
    return Array.isArray(data) ? data : [];
  };

  /** The incident an earlier attempt made, if its answer was lost: Cachet filters on the exact name. */
  async function madeBefore(u: OutgoingUpdate, signal: AbortSignal): Promise<ExternalIncident | null> {
    const found = await get(`${api}/incidents?name=${encodeURIComponent(cachetName(u))}&sort=id&order=desc`, signal);
    const match = found.find((i) => field(i, 'name') === cachetName(u));
    const id = field(match, 'id');
    if (typeof id !== 'number' && typeof id !== 'string') return null;
    const permalink = field(match, 'permalink');
    return { externalId: String(id), link: typeof permalink === 'string' ? permalink : null };
  }

  /** Whether the incident's latest update is this one already (an earlier attempt's answer was lost). */
  async function alreadyPosted(external: ExternalIncident, u: OutgoingUpdate, signal: AbortSignal): Promise<boolean> {
    const updates = await get(`${api}/incidents/${encodeURIComponent(external.externalId)}/updates?sort=id&order=desc`, signal);
    const latest = updates[0];
    return field(latest, 'status') === CACHET_STATUS[u.update.state] && field(latest, 'message') === u.update.message;
  }

  return {
    name: 'cachet',
    async send(u, signal) {
      const status = CACHET_STATUS[u.update.state];
      if (u.external) {
        if (u.attempt > 1 && (await alreadyPosted(u.external, u, signal))) return u.external;
        await post(`${api}/incidents/${encodeURIComponent(u.external.externalId)}/updates`, signal, { status, message: u.update.message });
        return u.external;
      }
      if (u.attempt > 1) {
        const made = await madeBefore(u, signal);
        if (made) return made;
      }
      const { body } = await post(`${api}/incidents`, signal, {
        name: cachetName(u),
        message: u.update.message,
        status,
        visible: true,
        stickied: false,
        notify: true,
      });
      const id = field(body, 'data', 'id');
      if (typeof id !== 'number' && typeof id !== 'string') throw new DeliveryFailure('Cachet created the incident but its answer has no id');
      const permalink = field(body, 'data', 'permalink');
      return { externalId: String(id), link: typeof permalink === 'string' ? permalink : null };
    },
  };
}
