import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path's capture groups, as sent (never decoded). */
  params: string[];
  query: URLSearchParams;
}

/**
 * One path on firebell's HTTP port. Each feature brings its routes (health, postmortems, and later
 * the Slack events, the hooks, the status site, the metrics); the server only matches and guards.
 */
export interface HttpRoute {
  method: 'GET' | 'POST';
  path: RegExp;
  handle(request: RouteRequest): Promise<void>;
}
