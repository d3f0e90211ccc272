import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../src/core/clock.ts';
import type { StatusTarget } from '../../../src/status/target.ts';
import { webhookTarget } from '../../../src/status/webhook-target.ts';
import { FakeStatusServer, type FakeAnswer, type FakeRequest } from './fake-server.ts';

export interface ReceivedUpdate {
  deliveryId: string;
  incident: string;
  status: string;
  body: string;
}

/**
 * A receiver of firebell's status webhook, as the README documents it: a POST of JSON signed
 * `X-Firebell-Signature: sha256=<hex HMAC of the body>`, with `X-Firebell-Delivery` matching the
 * body's `delivery_id`. It keeps each delivery once, as a receiver using the id would.
 */
export class FakeWebhookReceiver extends FakeStatusServer {
  /** Each delivery once, in the order first accepted. */
  readonly received: ReceivedUpdate[] = [];
  /** The delivery id of every request answered 2xx: a repeat here is a duplicate send. */
  readonly accepted: string[] = [];
  readonly path = '/hooks/status';

  constructor(private readonly secret = 'webhook-secret-for-tests') {
    super();
  }

  get hookUrl(): string {
    return `${this.url}${this.path}`;
  }

  /** The settings that make it firebell's configured webhook target. */
  get settings(): { STATUS_WEBHOOK_URL: string; STATUS_WEBHOOK_SECRET: string } {
    return { STATUS_WEBHOOK_URL: this.hookUrl, STATUS_WEBHOOK_SECRET: this.secret };
  }

  /** A second webhook target, under another name, that sends here. */
  target(name: string, clock: Clock): StatusTarget {
    return { ...webhookTarget({ url: this.hookUrl, secret: this.secret }, clock), name };
  }

  private waiters: { count: number; resolve: () => void }[] = [];

  /** Resolves once `count` updates have been received. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  override reset(): void {
    super.reset();
    this.received.length = 0;
    this.accepted.length = 0;
  }

  protected check(req: FakeRequest): string | null {
    if (req.method !== 'POST') return `expected POST, got ${req.method}`;
    if (req.path !== this.path) return `expected ${this.path}, got ${req.path}`;
    if (!String(req.headers['content-type']).startsWith('application/json')) return 'content-type must be application/json';
    const signature = String(req.headers['x-firebell-signature'] ?? '');
    const expected = `sha256=${createHmac('sha256', this.secret).update(req.raw).digest('hex')}`;
    if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return 'bad signature';
    const b = req.body as { type?: unknown; delivery_id?: unknown; incident?: { id?: unknown; name?: unknown; status?: unknown }; update?: { status?: unknown; body?: unknown; created_at?: unknown } };
    if (b.type !== 'status_update') return 'type must be status_update';
    if (typeof b.delivery_id !== 'string' || b.delivery_id !== req.headers['x-firebell-delivery']) return 'delivery_id must match X-Firebell-Delivery';
    if (typeof b.incident?.id !== 'string' || typeof b.incident.name !== 'string') return 'incident.id and incident.name are required';
    if (typeof b.update?.status !== 'string' || typeof b.update.body !== 'string') return 'update.status and update.body are required';
    if (typeof b.update.created_at !== 'string' || Number.isNaN(Date.parse(b.update.created_at))) return 'update.created_at must be a date';
    return null;
  }

  protected answer(req: FakeRequest): FakeAnswer {
    const b = req.body as { delivery_id: string; incident: { id: string }; update: { status: string; body: string } };
    this.accepted.push(b.delivery_id);
    if (!this.received.some((r) => r.deliveryId === b.delivery_id)) {
      this.received.push({ deliveryId: b.delivery_id, incident: b.incident.id, status: b.update.status, body: b.update.body });
    }
    this.waiters = this.waiters.filter((w) => (this.received.length >= w.count ? (w.resolve(), false) : true));
    return { status: 204 };
  }
}
