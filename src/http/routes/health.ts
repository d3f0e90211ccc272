import { json } from '../respond.ts';
import type { HttpRoute } from '../route.ts';

export interface HealthReport {
  database: 'reachable' | 'unreachable';
  backend: string;
  journalPending: number;
}

/** `GET /healthz`: open to anyone, says nothing secret. */
export function healthRoute(health: () => Promise<HealthReport>): HttpRoute {
  return {
    method: 'GET',
    path: /^\/healthz$/,
    async handle({ res }) {
      json(res, 200, { status: 'ok', ...(await health()) });
    },
  };
}
