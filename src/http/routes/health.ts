import { json } from '../respond.ts';
import type { HttpRoute } from '../route.ts';

/** What the bot knows about itself at the moment of asking. */
export interface HealthFacts {
  database: 'reachable' | 'unreachable';
  backend: string;
  /** Stopping: it takes no new commands. */
  stopping: boolean;
  /** Commands in the local journal not yet settled. */
  journalPending: number;
  /** Commands answered "queued", waiting in the journal for the database to come back. */
  waitingForDatabase: number;
  /** Commands taken and not yet recorded or refused. */
  commandsPending: number;
  /** How long the oldest of them has waited, in seconds; null when none waits. */
  oldestPendingSeconds: number | null;
}

export type HealthStatus = 'ok' | 'degraded' | 'draining';

export type HealthReport = { status: HealthStatus } & Omit<HealthFacts, 'stopping'>;

/**
 * `degraded` still takes commands (they wait in the journal), so it stays 200; `draining` takes
 * none, so a load balancer sends them elsewhere (503).
 */
export function judgeHealth({ stopping, ...facts }: HealthFacts): HealthReport {
  const status: HealthStatus = stopping ? 'draining' : facts.database === 'unreachable' || facts.waitingForDatabase > 0 ? 'degraded' : 'ok';
  return { status, ...facts };
}

/** `GET /healthz`: open to anyone, says nothing secret. */
export function healthRoute(health: () => Promise<HealthFacts>): HttpRoute {
  return {
    method: 'GET',
    path: /^\/healthz$/,
    async handle({ res }) {
      const report = judgeHealth(await health());
      json(res, report.status === 'draining' ? 503 : 200, report);
    },
  };
}
