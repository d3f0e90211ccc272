import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { send } from '../respond.ts';
import type { HttpRoute } from '../route.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compared in constant time, as digests, so neither the token's bytes nor its length leak by timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/** `GET /metrics`: Prometheus exposition text, for a scraper holding the token only. */
export function metricsRoute(registry: Registry, token: string): HttpRoute {
  return {
    method: 'GET',
    path: /^\/metrics$/,
    async handle({ req, res }) {
      if (!bearerMatches(req.headers.authorization, token)) {
        return send(res, 401, 'text/plain; charset=utf-8', 'unauthorized\n', { 'www-authenticate': 'Bearer' });
      }
      send(res, 200, registry.contentType, await registry.metrics());
    },
  };
}
