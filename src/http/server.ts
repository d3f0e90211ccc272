import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { incidentRef } from '../core/model.ts';
import type { IncidentRecord } from '../core/record.ts';
import { exportPostmortem, type PostmortemFormat } from '../postmortem/export.ts';
import { isPostmortemToken } from './postmortem-link.ts';

export interface HttpDeps {
  /** Null when there is no such incident; throws when the database cannot be reached. */
  loadRecord(incidentId: number): Promise<IncidentRecord | null>;
  health(): Promise<{ database: 'reachable' | 'unreachable'; backend: string; journalPending: number }>;
  /** The draft last written to disk, for when the database is unreachable. */
  readSavedPostmortem(incidentId: number): Promise<string | null>;
  /** Signs postmortem links; held in memory so tokens are still checked while the database is down. */
  secret: Buffer;
  now(): Date;
  log: Logger;
}

/**
 * How long a client may take. The port faces the network, so a client that trickles its headers
 * or body (slow loris) is cut off instead of holding a socket; firebell's requests are small.
 */
export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  /** How often Node looks for connections past those limits. */
  checkIntervalMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, checkIntervalMs: 1_000 };

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[], query: URLSearchParams) => Promise<void>;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body) + '\n');
const text = (res: ServerResponse, status: number, body: string) => send(res, status, 'text/plain; charset=utf-8', body + '\n');

interface Target {
  path: string;
  query: URLSearchParams;
}

/**
 * The path and query of an origin-form request target (`/healthz?x=1`), or null for any other
 * form (`*`, `http://host/path`, garbage). The path is matched as sent, never decoded: every route
 * is plain ASCII, so an encoded spelling of one is simply not found.
 */
function parseTarget(url: string | undefined): Target | null {
  if (!url?.startsWith('/')) return null;
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: new URLSearchParams() } : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

/** The request's path for the log: never its query, which carries a postmortem link's token. */
function loggablePath(url: string | undefined): string {
  return (url ?? '').split('?', 1)[0]!.slice(0, 200);
}

/** firebell's HTTP side: health for the operator, postmortem drafts for whoever has the link. */
export function createHttpServer(deps: HttpDeps, timeouts: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS): Server {
  const routes: { method: string; path: RegExp; handle: Handler }[] = [
    {
      method: 'GET',
      path: /^\/healthz$/,
      async handle(_req, res) {
        const h = await deps.health();
        json(res, 200, { status: 'ok', ...h });
      },
    },
    {
      method: 'GET',
      path: /^\/postmortems\/INC-(\d{1,9})\.(md|json)$/,
      async handle(_req, res, [id, ext], query) {
        const incidentId = Number(id);
        const format = ext as PostmortemFormat;
        // Without its token an incident is indistinguishable from one that does not exist.
        const notFound = () => text(res, 404, `${incidentRef(incidentId)} does not exist`);
        if (!isPostmortemToken(deps.secret, incidentId, query.get('token'))) return notFound();
        let record: IncidentRecord | null;
        try {
          record = await deps.loadRecord(incidentId);
        } catch (err) {
          deps.log.warn({ err }, 'postmortem from the database failed; trying the saved draft');
          const saved = format === 'md' ? await deps.readSavedPostmortem(incidentId) : null;
          if (saved !== null) return send(res, 200, 'text/markdown; charset=utf-8', saved);
          return text(res, 503, 'the database is unreachable and no saved draft exists');
        }
        if (!record) return notFound();
        const file = exportPostmortem(record, format, deps.now());
        send(res, 200, file.mediaType, file.content);
      },
    },
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseTarget(req.url);
    if (!target) return text(res, 400, 'bad request');
    const matching = routes.filter((r) => r.path.test(target.path));
    const route = matching.find((r) => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'));
    if (!route) return matching.length > 0 ? text(res, 405, 'method not allowed') : text(res, 404, 'not found');
    const params = route.path.exec(target.path)!.slice(1);
    await route.handle(req, res, params, target.query);
  }

  // The one error boundary: whatever a request does, a fault ends that request, never the process.
  return createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        deps.log.error({ err, method: req.method, path: loggablePath(req.url) }, 'http request failed');
        try {
          if (!res.headersSent) text(res, 500, 'internal error');
          else res.destroy();
        } catch {
          res.destroy();
        }
      });
    },
  );
}

export async function listen(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
