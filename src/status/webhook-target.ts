import { createHmac } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { incidentRef } from '../core/model.ts';
import { callApi } from './http-call.ts';
import { impactOf } from './impact.ts';
import type { OutgoingUpdate, StatusTarget } from './target.ts';

export interface WebhookSettings {
  url: string;
  secret: string;
}

/**
 * The body a webhook receiver gets (README "Status webhook"): close to Statuspage's incident JSON,
 * so a relay to another status page stays small. `delivery_id` is the same on every attempt.
 */
export function webhookBody(u: OutgoingUpdate) {
  return {
    type: 'status_update',
    delivery_id: `firebell-delivery-${u.deliveryId}`,
    incident: {
      id: incidentRef(u.incident.id),
      name: u.incident.title,
      status: u.update.state,
      impact: impactOf(u.incident.severity),
      severity: u.incident.severity,
      started_at: u.incident.startedAt.toISOString(),
      resolved_at: u.incident.resolvedAt?.toISOString() ?? null,
    },
    update: {
      id: u.update.id,
      status: u.update.state,
      body: u.update.message,
      created_at: u.update.postedAt.toISOString(),
    },
  };
}

/** `sha256=<hex>` of the exact bytes sent, keyed by STATUS_WEBHOOK_SECRET (as GitHub signs its hooks). */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A signed JSON POST per update: the way to reach any page firebell has no target for. */
export function webhookTarget(settings: WebhookSettings, clock: Clock): StatusTarget {
  return {
    name: 'webhook',
    async send(u, signal) {
      const body = JSON.stringify(webhookBody(u));
      await callApi({
        method: 'POST',
        url: settings.url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'firebell',
          'x-firebell-delivery': `firebell-delivery-${u.deliveryId}`,
          'x-firebell-signature': signWebhookBody(settings.secret, body),
        },
        body,
        signal,
        now: clock.now(),
      });
      return { externalId: incidentRef(u.incident.id), link: null };
    },
  };
}
