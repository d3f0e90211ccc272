import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { text } from './respond.ts';
import type { HttpRoute } from './route.ts';

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

export interface HttpServerOptions {
  routes: readonly HttpRoute[];
  log: Logger;
  timeouts?: HttpTimeouts;
}

/**
 * firebell's HTTP port: it matches a request to a route and guards the process from it. The
 * routes come from the features (health, postmortems, …); no request, however malformed, ends the
 * process.
 */
export function createHttpServer({ routes, log, timeouts = DEFAULT_HTTP_TIMEOUTS }: HttpServerOptions): Server {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseTarget(req.url);
    if (!target) return text(res, 400, 'bad request');
    const matching = routes.filter((r) => r.path.test(target.path));
    const route = matching.find((r) => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'));
    if (!route) return matching.length > 0 ? text(res, 405, 'method not allowed') : text(res, 404, 'not found');
    const params = route.path.exec(target.path)!.slice(1);
    await route.handle({ req, res, params, query: target.query });
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
        log.error({ err, method: req.method, path: loggablePath(req.url) }, 'http request failed');
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
