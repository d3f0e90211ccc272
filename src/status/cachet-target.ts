import type { Clock } from '../core/clock.ts';
import type { StatusState } from '../core/model.ts';
import { callApi, field, type HttpCall } from './http-call.ts';
import { DeliveryFailure, type StatusTarget } from './target.ts';

export interface CachetSettings {
  /** The Cachet site, e.g. https://status.example.com (the API is under /api/v1). */
  url: string;
  token: string;
}

/** Cachet 2.x incident statuses: 1 Investigating, 2 Identified, 3 Watching, 4 Fixed. */
export const CACHET_STATUS: Record<StatusState, number> = { investigating: 1, identified: 2, monitoring: 3, resolved: 4 };

/**
 * Cachet 2.x, API v1 (research notes §2.1): the first update creates the incident, later ones are
 * incident updates. Every request carries `Accept: application/json` (else 406); `visible`,
 * `stickied` and `notify` are sent as real booleans, since a missing one is reset or refused.
 */
export function cachetTarget(settings: CachetSettings, clock: Clock): StatusTarget {
  const api = `${settings.url.replace(/\/+$/, '')}/api/v1`;
  const headers = { 'x-cachet-token': settings.token, accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'firebell' };
  const post = (url: string, signal: AbortSignal, body: unknown) =>
    callApi({ method: 'POST' satisfies HttpCall['method'], url, headers, signal, now: clock.now(), body: JSON.stringify(body) });

  return {
    name: 'cachet',
    async send(u, signal) {
      const status = CACHET_STATUS[u.update.state];
      if (u.external) {
        await post(`${api}/incidents/${encodeURIComponent(u.external.externalId)}/updates`, signal, { status, message: u.update.message });
        return u.external;
      }
      const { body } = await post(`${api}/incidents`, signal, {
        name: u.incident.title,
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
