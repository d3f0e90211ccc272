import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';

/** What the fake does with the next requests, before its API handles them. */
type Misbehaviour =
  | { kind: 'fail'; status: number }
  | { kind: 'rate-limit'; status: number; retryAfter: string }
  | { kind: 'hang' }
  /** Does the work, then drops the connection: the client never learns it succeeded. */
  | { kind: 'lose' };

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
}

/**
 * A local HTTP server standing in for a status page's API (Statuspage, Cachet, a webhook receiver).
 * Each request is first checked as the API documents it (`check` returns what is wrong, or null:
 * a wrong request answers 400 and is remembered in `rejected`); it can be made to fail, rate-limit
 * or hang the next requests, or to be down until told otherwise.
 */
export abstract class FakeStatusServer extends EventEmitter {
  private server: Server | null = null;
  private plan: Misbehaviour[] = [];
  private downStatus: number | null = null;
  private hanging: ServerResponse[] = [];
  private refusing: ((req: FakeRequest) => boolean) | null = null;
  /** Every request that reached the fake, answered or not. */
  readonly requests: FakeRequest[] = [];
  /** Requests that broke the API's rules, with why. */
  readonly rejected: { request: FakeRequest; problem: string }[] = [];
  url = '';

  protected abstract check(req: FakeRequest): string | null;
  protected abstract answer(req: FakeRequest): FakeAnswer;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    // A server that closes idle connections first races the client reusing one: on a loaded
    // machine a send then fails before it arrives. Real APIs keep them longer than fetch does.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging = [];
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  failNext(n: number, status = 500): void {
    for (let i = 0; i < n; i++) this.plan.push({ kind: 'fail', status });
  }

  rateLimitNext(n: number, retryAfter: string, status = 429): void {
    for (let i = 0; i < n; i++) this.plan.push({ kind: 'rate-limit', status, retryAfter });
  }

  hangNext(n: number): void {
    for (let i = 0; i < n; i++) this.plan.push({ kind: 'hang' });
  }

  loseNextAnswers(n: number): void {
    for (let i = 0; i < n; i++) this.plan.push({ kind: 'lose' });
  }

  /** Answers every request with this status until up(). */
  down(status = 503): void {
    this.downStatus = status;
  }

  up(): void {
    this.downStatus = null;
  }

  /** Answers 500 to every request that matches, until reset (a poison update). */
  refuseWhen(matches: (req: FakeRequest) => boolean): void {
    this.refusing = matches;
  }

  reset(): void {
    this.plan = [];
    this.downStatus = null;
    this.refusing = null;
    this.requests.length = 0;
    this.rejected.length = 0;
  }

  private handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown = null;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
    }
    const request: FakeRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, raw, body };
    this.requests.push(request);
    this.emit('request', request);
    if (this.downStatus !== null) return reply(res, this.downStatus, { message: 'down for maintenance' });
    if (this.refusing?.(request)) return reply(res, 500, { message: 'cannot take this one' });
    const next = this.plan.shift();
    if (next?.kind === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (next?.kind === 'fail') return reply(res, next.status, { message: 'internal error' });
    if (next?.kind === 'rate-limit') return reply(res, next.status, { message: 'rate limited' }, { 'retry-after': next.retryAfter });
    const problem = body === undefined ? 'the body is not JSON' : this.check(request);
    if (problem) {
      this.rejected.push({ request, problem });
      return reply(res, 400, { message: problem });
    }
    const answer = this.answer(request);
    if (next?.kind === 'lose') {
      res.destroy();
      return;
    }
    reply(res, answer.status, answer.body);
  }
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}
