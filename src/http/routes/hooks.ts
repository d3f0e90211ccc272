import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { cleanText } from '../../chat/command-line.ts';
import type { Invocation, Reply } from '../../chat/types.ts';
import type { Clock } from '../../core/clock.ts';
import { MAX_TEXT_LENGTH } from '../../core/model.ts';
import { MAX_FINGERPRINT_LENGTH } from '../../core/warning-model.ts';
import { labelsFingerprint, type WarningReport } from '../../core/warnings.ts';
import { json, readBody } from '../respond.ts';
import type { HttpRoute } from '../route.ts';

/** Alertmanager groups alerts; a busy group of a few hundred fits well within this. */
export const MAX_HOOK_BODY_BYTES = 1024 * 1024;
const MAX_ALERTS = 1000;

const labelMap = z.record(z.string().max(200), z.string().max(2000));

/** Alertmanager's webhook payload, version 4 (its documentation's `webhook_config`). */
const alertmanagerPayload = z.object({
  version: z.literal('4', { error: 'expected version "4" (Alertmanager webhook payload)' }),
  status: z.enum(['firing', 'resolved']),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: labelMap,
        annotations: labelMap.default({}),
        startsAt: z.iso.datetime({ offset: true }),
        endsAt: z.string().optional(),
        generatorURL: z.string().max(2000).optional(),
        fingerprint: z.string().min(1).max(MAX_FINGERPRINT_LENGTH).optional(),
      }),
    )
    .max(MAX_ALERTS, `at most ${MAX_ALERTS} alerts in one request`),
});

/** The generic hook: one warning in plain JSON. */
const genericPayload = z.object({
  key: z
    .string()
    .trim()
    .min(1)
    .max(MAX_FINGERPRINT_LENGTH)
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'control characters are not allowed in a key'),
  summary: z.string().trim().min(1),
  severity: z.string().max(100).optional(),
  owner: z.string().max(200).optional(),
  status: z.enum(['firing', 'resolved']).default('firing'),
});

const oneLine = (text: string, max = MAX_TEXT_LENGTH) => {
  const cleaned = cleanText(text).replace(/\s+/g, ' ').trim();
  return [...cleaned].length > max ? `${[...cleaned].slice(0, max - 1).join('')}…` : cleaned;
};

/** Where an instant is not a real one (Alertmanager's "0001-01-01T00:00:00Z" for "not ended"). */
function instant(text: string | undefined): string | null {
  if (!text) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) || t < Date.UTC(2000, 0, 1) ? null : new Date(t).toISOString();
}

type AlertmanagerAlert = z.output<typeof alertmanagerPayload>['alerts'][number];

/** One Alertmanager alert as a report the `alert` verb takes (instants as ISO strings: it is journaled as JSON). */
export function reportOfAlert(a: AlertmanagerAlert): { report: Record<keyof WarningReport, unknown>; idempotencyKey: string } {
  const labels = a.labels;
  const fingerprint = a.fingerprint ?? labelsFingerprint(labels);
  const summary = a.annotations.summary ?? a.annotations.description ?? null;
  const name = labels.alertname ?? null;
  const text = name && summary ? `${name}: ${summary}` : (summary ?? name ?? fingerprint);
  return {
    report: {
      fingerprint,
      summary: oneLine(text),
      severity: labels.severity ?? null,
      owner: labels.owner ?? null,
      labels,
      generatorUrl: a.generatorURL || null,
      status: a.status,
      at: a.status === 'resolved' ? (instant(a.endsAt) ?? null) : instant(a.startsAt),
    },
    // Alertmanager sends a group again and again while it fires: one firing is one startsAt.
    idempotencyKey: `alertmanager:${fingerprint}:${a.startsAt}:${a.status}`,
  };
}

/** The Bearer token, compared in constant time (hashed first, so lengths do not leak either). */
function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

function reason(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'bad body';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

export interface HookRouteDeps {
  token: string;
  dispatch(inv: Invocation): Promise<Reply>;
  clock: Clock;
  log: Logger;
}

interface HookSource {
  path: RegExp;
  name: string;
  actorName: string;
  /** The alert commands a valid body becomes; an error string says why it is not valid. */
  read(body: unknown, req: IncomingMessage): { report: Record<string, unknown>; idempotencyKey?: string }[] | string;
}

const SOURCES: HookSource[] = [
  {
    path: /^\/hooks\/alertmanager$/,
    name: 'alertmanager',
    actorName: 'Alertmanager',
    read(body) {
      const parsed = alertmanagerPayload.safeParse(body);
      return parsed.success ? parsed.data.alerts.map(reportOfAlert) : reason(parsed.error);
    },
  },
  {
    path: /^\/hooks\/warnings$/,
    name: 'warnings',
    actorName: 'warnings hook',
    read(body, req) {
      const parsed = genericPayload.safeParse(body);
      if (!parsed.success) return reason(parsed.error);
      const b = parsed.data;
      const key = req.headers['idempotency-key'];
      return [
        {
          report: {
            fingerprint: `key:${b.key}`,
            summary: oneLine(b.summary),
            severity: b.severity ?? null,
            owner: b.owner ?? null,
            labels: {},
            generatorUrl: null,
            status: b.status,
            at: null,
          },
          // A sender that retries can say so; otherwise each request is a firing of its own.
          ...(typeof key === 'string' && key.length > 0 && key.length <= 200 ? { idempotencyKey: `warnings:${key}` } : {}),
        },
      ];
    },
  },
];

/**
 * `POST /hooks/alertmanager` and `POST /hooks/warnings` (DESIGN §5). Only mounted with a
 * WEBHOOK_TOKEN: without one the hooks answer 404, never open. Each alert goes through the command
 * path, so while the database is down it is journaled and the sender hears 202 (Alertmanager
 * would retry, but the warning that arrives during an outage is the one that matters).
 */
export function hookRoutes(deps: HookRouteDeps): HttpRoute[] {
  return SOURCES.map((source) => ({
    method: 'POST' as const,
    path: source.path,
    async handle({ req, res }) {
      if (!authorized(req, deps.token)) {
        return json(res, 401, { error: 'a valid Authorization: Bearer token is required' });
      }
      const read = await readBody(req, MAX_HOOK_BODY_BYTES);
      if (!read.ok) return json(res, 413, { error: read.reason });
      let body: unknown;
      try {
        body = JSON.parse(read.body.toString('utf8'));
      } catch {
        return json(res, 400, { error: 'the body is not JSON' });
      }
      const commands = source.read(body, req);
      if (typeof commands === 'string') return json(res, 400, { error: commands });
      const receivedAt = deps.clock.now();
      const replies = await Promise.all(
        commands.map((c) =>
          deps.dispatch({
            verb: 'alert',
            text: '',
            payload: c.report,
            actor: { platform: 'hook', id: source.name, name: source.actorName },
            channel: { platform: 'hook', id: source.name },
            eventId: randomUUID(),
            // Firing and resolving of one alert stay in order; different alerts need not.
            orderKey: `${source.name}\u0000${String(c.report.fingerprint)}`,
            ...(c.idempotencyKey ? { idempotencyKey: c.idempotencyKey } : {}),
            receivedAt,
          }),
        ),
      );
      const failed = replies.filter((r) => r.tone === 'error');
      if (failed.length > 0) {
        deps.log.error({ hook: source.name, failed: failed.length }, 'hook alerts not recorded');
        // A 5xx: Alertmanager sends the group again.
        return json(res, 500, { error: `${failed.length} of ${replies.length} alerts could not be recorded; send them again` });
      }
      const queued = replies.some((r) => r.tone === 'queued');
      json(res, queued ? 202 : 200, { status: queued ? 'queued' : 'recorded', alerts: replies.length });
    },
  }));
}
