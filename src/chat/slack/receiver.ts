import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { isValidSlackRequest } from '@slack/bolt';
import type { Logger } from 'pino';
import { readBody, send, text } from '../../http/respond.ts';
import type { HttpRoute } from '../../http/route.ts';

/** Slack's payloads are small; a bigger body is refused before it is read into memory. */
const MAX_BODY_BYTES = 512 * 1024;

export interface RouteReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** Bolt's check compares the request's timestamp with this clock (real time in production). */
  nowMs?: () => number;
}

/**
 * Bolt's receiver as a route on firebell's own HTTP server (`POST /slack/events`), so Slack's
 * events share one port with /healthz and the postmortems. It verifies Slack's signature on the
 * raw body before anything is parsed: a bad, missing or stale one is answered 401 and reaches no
 * listener. The HTTP response is written the moment a listener acks, never after its work.
 */
export class RouteReceiver implements Receiver {
  private app: App | null = null;

  constructor(private readonly opts: RouteReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  route(): HttpRoute {
    return { method: 'POST', path: /^\/slack\/events$/, handle: ({ req, res }) => this.handle(req, res) };
  }

  private async handle(req: Parameters<HttpRoute['handle']>[0]['req'], res: Parameters<HttpRoute['handle']>[0]['res']): Promise<void> {
    const read = await readBody(req, MAX_BODY_BYTES);
    if (!read.ok) return text(res, read.status, read.reason);
    const raw = read.body.toString('utf8');
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const valid =
      typeof signature === 'string' &&
      Number.isFinite(timestamp) &&
      isValidSlackRequest({
        signingSecret: this.opts.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: (this.opts.nowMs ?? Date.now)(),
      });
    if (!valid) {
      this.opts.log.warn({ path: '/slack/events' }, 'slack request refused: bad, missing or stale signature');
      return text(res, 401, 'invalid signature');
    }
    const body = parseSlackBody(raw, req.headers['content-type']);
    if (!body) return text(res, 400, 'unreadable body');
    if (body.ssl_check !== undefined) return text(res, 200, '');
    if (body.type === 'url_verification') return send(res, 200, 'application/json', JSON.stringify({ challenge: body.challenge }));
    if (!this.app) return text(res, 503, 'not ready');

    let acked = false;
    const event: ReceiverEvent = {
      body,
      ...retryOf(req.headers),
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        if (response === undefined || response === '') return send(res, 200, 'text/plain; charset=utf-8', '');
        if (typeof response === 'string') return send(res, 200, 'text/plain; charset=utf-8', response);
        send(res, 200, 'application/json', JSON.stringify(response));
      },
    };
    try {
      await this.app.processEvent(event);
    } catch (err) {
      this.opts.log.error({ err, type: body.type }, 'slack event failed');
      if (!acked) {
        acked = true;
        // Slack retries an event answered with an error; a fault here would fail the same way again.
        text(res, 500, 'internal error');
      }
      return;
    }
    // No listener took it (an event firebell does not use): Slack still wants its 200.
    if (!acked) {
      acked = true;
      send(res, 200, 'text/plain; charset=utf-8', '');
    }
  }
}

type SlackBody = Record<string, unknown>;

/** A slash command is form fields, interactivity one field `payload` of JSON, an event JSON. */
export function parseSlackBody(raw: string, contentType: string | undefined): SlackBody | null {
  try {
    if ((contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded') {
      const form = Object.fromEntries(new URLSearchParams(raw));
      if (typeof form.payload === 'string') {
        const payload: unknown = JSON.parse(form.payload);
        return isObject(payload) ? payload : null;
      }
      return form;
    }
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is SlackBody => v !== null && typeof v === 'object' && !Array.isArray(v);

function retryOf(headers: Record<string, string | string[] | undefined>): { retryNum?: number; retryReason?: string } {
  const num = Number(headers['x-slack-retry-num']);
  const reason = headers['x-slack-retry-reason'];
  return {
    ...(Number.isInteger(num) && headers['x-slack-retry-num'] !== undefined ? { retryNum: num } : {}),
    ...(typeof reason === 'string' ? { retryReason: reason } : {}),
  };
}
