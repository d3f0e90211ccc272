import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { openIncidentRecord } from '../../src/core/record.ts';
import { postmortemToken } from '../../src/http/postmortem-link.ts';
import type { HttpRoute } from '../../src/http/route.ts';
import { gatherHealth } from '../../src/app/health.ts';
import { healthRoute, type HealthFacts } from '../../src/http/routes/health.ts';
import { postmortemRoute, type PostmortemRouteDeps } from '../../src/http/routes/postmortems.ts';
import { createHttpServer, DEFAULT_HTTP_TIMEOUTS, listen, type HttpTimeouts } from '../../src/http/server.ts';
import { createLogger } from '../../src/logging.ts';
import { renderPostmortem } from '../../src/postmortem/markdown.ts';
import { postmortemPath } from '../../src/postmortem/writer.ts';
import { loadHttpSecret } from '../../src/store/http-secret.ts';
import { sqlStore } from '../../src/store/sql-store.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends, silentLog } from '../support/databases.ts';
import { freePort, rawRequest } from './raw-http.ts';

type HttpDeps = PostmortemRouteDeps & { health(): Promise<HealthFacts> };

/** The routes' dependencies, wired to a test bot the way src/main.ts wires them. */
async function httpDeps(bot: TestBot): Promise<HttpDeps> {
  const db = bot.firebell.db;
  return {
    // The bot made it when it started; this reads the same one.
    secret: await loadHttpSecret(db),
    openRecord: (id) => openIncidentRecord(sqlStore(db), id),
    health: () => gatherHealth({ db, executor: bot.firebell.executor, journal: bot.firebell.journal, clock: bot.clock, stopping: () => false }),
    readSavedPostmortem: (id) => readFile(postmortemPath(bot.settings.DATA_DIR, id), 'utf8').catch(() => null),
    now: () => bot.clock.now(),
    log: silentLog,
  };
}

const routesOf = (deps: HttpDeps): HttpRoute[] => [healthRoute(() => deps.health()), postmortemRoute(deps)];

interface Served {
  server: Server;
  base: string;
  /** The path of an incident's postmortem, with its token, as the bot's links carry it. */
  signed(incidentId: number, format?: 'md' | 'json'): string;
}

async function serve(bot: TestBot, opts: { deps?: Partial<HttpDeps>; timeouts?: HttpTimeouts } = {}): Promise<Served> {
  const deps = { ...(await httpDeps(bot)), ...opts.deps };
  const server = createHttpServer({ routes: routesOf(deps), log: deps.log, ...(opts.timeouts ? { timeouts: opts.timeouts } : {}) });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    server,
    base: `http://127.0.0.1:${port}`,
    signed: (id, format = 'md') => `/postmortems/INC-${id}.${format}?token=${postmortemToken(deps.secret, id)}`,
  };
}

const closeServer = (server: Server) => new Promise<void>((done) => server.close(() => done()));

type RawAnswerOrHeld = Awaited<ReturnType<typeof rawRequest>> | 'held';

interface Answer {
  status: number;
  type: string | null;
  body: string;
}

async function request(url: string, method = 'GET'): Promise<Answer> {
  const res = await fetch(url, { method });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe.each(backends)('the HTTP server on $name', (backend) => {
  let bot: TestBot;
  let server: Server;
  let base: string;
  let signed: Served['signed'];

  beforeAll(async () => {
    bot = await startTestBot(backend);
    ({ server, base, signed } = await serve(bot));
  });
  afterAll(async () => {
    await closeServer(server);
    await bot.stop();
  });
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
  });

  test('GET /healthz says the database is reachable and which backend it is, never cached', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      status: 'ok',
      database: 'reachable',
      backend: backend.name,
      journalPending: 0,
      waitingForDatabase: 0,
      commandsPending: 0,
      oldestPendingSeconds: null,
    });
  });

  test('a query string does not change the route', async () => {
    expect((await request(`${base}/healthz?verbose=1`)).status).toBe(200);
  });

  test('HEAD /healthz answers like GET, without a body', async () => {
    expect(await request(`${base}/healthz`, 'HEAD')).toEqual({ status: 200, type: 'application/json', body: '' });
  });

  test("GET /postmortems/INC-1.md serves the incident's current draft in Markdown", async () => {
    await bot.say('start Checkout API returning 502s --sev 2 --at "2026-03-01 23:40" --tz Europe/Berlin');
    await bot.say('log 23:52 Rolled back release 4812');
    const res = await request(`${base}${signed(1)}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/markdown; charset=utf-8');
    expect(res.body).toBe(renderPostmortem(await bot.record(1), bot.clock.now()));
    expect(res.body.split('\n')[0]).toBe('# INC-1: Checkout API returning 502s');
    expect(res.body).toContain('| 23:52 | note | Rolled back release 4812 | dana |');
  });

  test('GET /postmortems/INC-1.json serves the draft as JSON', async () => {
    await bot.say('start Checkout API returning 502s --sev 2 --at "2026-03-01 23:40" --tz Europe/Berlin');
    const res = await fetch(`${base}${signed(1, 'json')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({
      ref: 'INC-1',
      title: 'Checkout API returning 502s',
      severity: 2,
      timeZone: 'Europe/Berlin',
      started: { at: '2026-03-01T22:40:00.000Z', local: '2026-03-01 23:40' },
      ended: null,
      generatedAt: '2026-03-01T23:10:00.000Z',
    });
  });

  describe('a large incident', () => {
    // Pages of 7 entries: a few hundred entries make a draft of many pieces.
    const paged = (page = 7) => ({ openRecord: (id: number) => openIncidentRecord(sqlStore(bot.firebell.db), id, page) });
    const addEntries = async (count: number) => {
      await bot.say('start Long night --sev 2 --at "2026-03-01 20:00" --tz Europe/Berlin');
      await bot.firebell.db.query(
        `insert into timeline_entries (incident_id, occurred_at, recorded_at, author, author_id, kind, text, source_platform, source_event_id)
         select 1, timestamptz '2026-03-01 19:00Z' + n * interval '1 second', now(), 'dana', 'test:dana', 'note', 'entry | number ' || n, 'test', 'bulk-' || n
         from generate_series(1, $1::int) as n`,
        [count],
      );
    };

    test('its draft is sent as it is rendered, without a length up front, and reads the same as the draft made at once', async () => {
      await addEntries(300);
      const streaming = await serve(bot, { deps: paged() });
      try {
        const res = await fetch(`${streaming.base}${signed(1)}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('transfer-encoding')).toBe('chunked');
        expect(res.headers.get('content-length')).toBeNull();
        const body = await res.text();
        expect(body).toBe(renderPostmortem(await bot.record(1), bot.clock.now()));
        expect(body).toContain('| 20:05 | note | entry \\| number 300 | dana |');
        const json = (await (await fetch(`${streaming.base}${signed(1, 'json')}`)).json()) as { timeline: unknown[] };
        expect(json.timeline).toHaveLength(301);
      } finally {
        await closeServer(streaming.server);
      }
    });

    /** The real record, whose timeline fails after one page on the given pass (1: the facts above the timeline, 2: the timeline). */
    const failingOnPass = (failing: number) => {
      const seen = { passes: 0 };
      const deps = {
        async openRecord(id: number) {
          const record = await openIncidentRecord(sqlStore(bot.firebell.db), id, 7);
          if (!record) return null;
          return {
            head: record.head,
            async *entryPages() {
              const fails = ++seen.passes === failing;
              let pages = 0;
              for await (const page of record.entryPages()) {
                if (fails && pages++ === 1) throw new Error('connection terminated unexpectedly');
                yield page;
              }
            },
          };
        },
      };
      return { seen, deps };
    };

    test('a database that fails before the draft is on its way is a 503 (or the saved draft), not a 200 cut short', async () => {
      await addEntries(50);
      const { seen, deps } = failingOnPass(1);
      const failing = await serve(bot, { deps });
      try {
        expect(await request(`${failing.base}${signed(1)}`)).toEqual({
          status: 503,
          type: 'text/plain; charset=utf-8',
          body: 'the database is unreachable and no saved draft exists\n',
        });
        expect(seen.passes).toBe(1);
      } finally {
        await closeServer(failing.server);
      }
    });

    test('a database that fails once the draft is on its way cuts the response off rather than end it as if whole', async () => {
      await addEntries(50);
      const { seen, deps } = failingOnPass(2);
      const failing = await serve(bot, { deps });
      try {
        // Cut before or after the headers reach the client: either way it never reads a whole draft.
        await expect(fetch(`${failing.base}${signed(1)}`).then((res) => res.text())).rejects.toThrow();
        expect(seen.passes).toBe(2);
        // The server is none the worse for it.
        expect((await request(`${base}${signed(1)}`)).status).toBe(200);
      } finally {
        await closeServer(failing.server);
      }
    });
  });

  test('an incident that does not exist is 404 with a plain sentence', async () => {
    expect(await request(`${base}${signed(99)}`)).toEqual({
      status: 404,
      type: 'text/plain; charset=utf-8',
      body: 'INC-99 does not exist\n',
    });
  });

  test('a path firebell does not serve is 404', async () => {
    for (const path of ['/nope', '/', '/postmortems/INC-1.html', '/postmortems/inc-1.md', '/healthz/']) {
      expect(await request(`${base}${path}`), path).toEqual({ status: 404, type: 'text/plain; charset=utf-8', body: 'not found\n' });
    }
  });

  test('a known path with the wrong method is 405', async () => {
    expect(await request(`${base}/healthz`, 'POST')).toEqual({ status: 405, type: 'text/plain; charset=utf-8', body: 'method not allowed\n' });
    expect((await request(`${base}${signed(1)}`, 'DELETE')).status).toBe(405);
  });

  test('a request target that is not a path (`*`, an absolute URL) is 400, and the server keeps serving', async () => {
    const port = Number(new URL(base).port);
    for (const target of ['*', 'http://firebell.example.com/healthz', `http://x${signed(1)}`]) {
      const answer = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer.status, target).toBe(400);
      expect(answer.raw.endsWith('\r\n\r\nbad request\n'), target).toBe(true);
    }
    expect((await request(`${base}//`)).status).toBe(404);
    expect((await request(`${base}/healthz`)).status).toBe(200);
  });

  test('by default a client gets 10 s for its headers and 30 s for its whole request', () => {
    expect(DEFAULT_HTTP_TIMEOUTS).toEqual({ headersMs: 10_000, requestMs: 30_000, checkIntervalMs: 1_000 });
    expect({ headers: server.headersTimeout, request: server.requestTimeout }).toEqual({ headers: 10_000, request: 30_000 });
  });

  describe('a client that never finishes its request (slow loris)', () => {
    let slow: Served;
    beforeAll(async () => {
      slow = await serve(bot, { timeouts: { headersMs: 300, requestMs: 600, checkIntervalMs: 50 } });
    });
    afterAll(() => closeServer(slow.server));

    /** What the server sent before it hung up, or 'held' when it still holds the connection after 5 s. */
    async function abandoned(request: string): Promise<RawAnswerOrHeld> {
      const port = Number(new URL(slow.base).port);
      const held = new Promise<'held'>((resolve) => setTimeout(() => resolve('held'), 5_000).unref());
      return Promise.race([rawRequest(port, request, { end: false }), held]);
    }

    test('headers that stop halfway are answered 408 and the connection closed', async () => {
      const answer = await abandoned('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      expect(answer).toMatchObject({ status: 408 });
    });

    test('a connection that never sends a byte is closed', async () => {
      const answer = await abandoned('');
      expect(answer).toMatchObject({ status: 408 });
    });

    test('a body that stops short of its Content-Length is cut off', async () => {
      const answer = await abandoned('POST /hooks/warnings HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"alert":');
      expect(answer).not.toBe('held');
    });
  });
});

describe.each(backends)('the HTTP server with its database gone, on $name', (backend) => {
  let bot: TestBot;
  let server: Server;
  let base: string;
  let signed: Served['signed'];
  let savedDraft: string;
  // A second server whose disk fails too, logging for real (with firebell's redaction) into logLines.
  let failing: Served;
  const logLines: string[] = [];

  beforeAll(async () => {
    bot = await startTestBot(backend, { now: '2026-03-01T23:10:00Z' });
    ({ server, base, signed } = await serve(bot));
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    failing = await serve(bot, {
      deps: {
        log: createLogger({ level: 'info', pretty: false, destination }),
        readSavedPostmortem: () => Promise.reject(new Error('the disk went away')),
      },
    });
    await bot.say('start Checkout API returning 502s --sev 2 --at "2026-03-01 23:40" --tz Europe/Berlin');
    await bot.say('close');
    await bot.say('start Search is slow --sev 3');
    // Closing INC-1 wrote its draft; INC-2 is still open and has none.
    savedDraft = await bot.draft(1);
    // The bot stops and its database connection goes with it: every query now fails.
    await bot.firebell.stop();
  });
  afterAll(async () => {
    await closeServer(server);
    await closeServer(failing.server);
    await bot.stop();
  });

  test('the draft saved when the incident closed is served instead', async () => {
    expect(savedDraft.split('\n')[0]).toBe('# INC-1: Checkout API returning 502s');
    expect(await request(`${base}${signed(1)}`)).toEqual({ status: 200, type: 'text/markdown; charset=utf-8', body: savedDraft });
  });

  test('an incident with no saved draft is 503, saying why', async () => {
    expect(await request(`${base}${signed(2)}`)).toEqual({
      status: 503,
      type: 'text/plain; charset=utf-8',
      body: 'the database is unreachable and no saved draft exists\n',
    });
  });

  test('JSON has no saved copy, so it is 503 too', async () => {
    expect((await request(`${base}${signed(1, 'json')}`)).status).toBe(503);
  });

  test('the saved draft still needs its token: without it, 404 exactly as for an incident that does not exist', async () => {
    const doesNotExist = (id: number) => ({ status: 404, type: 'text/plain; charset=utf-8', body: `INC-${id} does not exist\n` });
    const otherIncidents = signed(2).split('?')[1];
    for (const path of ['/postmortems/INC-1.md', `/postmortems/INC-1.md?${otherIncidents}`, `${signed(1)}x`, `/postmortems/INC-1.md?token=${'A'.repeat(43)}`]) {
      expect(await request(`${base}${path}`), path).toEqual(doesNotExist(1));
    }
    // An incident with no saved draft does not give itself away by a 503 either.
    expect(await request(`${base}/postmortems/INC-2.md`)).toEqual(doesNotExist(2));
  });

  test('the token never reaches the log, not even when the request fails', async () => {
    expect((await request(`${failing.base}${failing.signed(1)}`)).status).toBe(500);
    expect((await request(`${failing.base}${failing.signed(2)}`)).status).toBe(500);
    const log = logLines.join('');
    expect(log).toContain('"msg":"http request failed"');
    expect(log).toContain('"path":"/postmortems/INC-1.md"');
    for (const id of [1, 2]) expect(log).not.toContain(failing.signed(id).split('token=')[1]);
  });

  test('/healthz still answers (200, commands are still taken), saying it is degraded: the database is unreachable', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', database: 'unreachable', backend: backend.name });
  });
});

describe.each(backends)('firebell with HTTP_PORT set, on $name', (backend) => {
  test('listens on that port and answers /healthz through its own wiring', async () => {
    const port = await freePort();
    const bot = await startTestBot(backend, { env: { HTTP_PORT: String(port) } });
    try {
      expect(bot.firebell.httpPort).toBe(port);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await res.json()).toEqual({
      status: 'ok',
      database: 'reachable',
      backend: backend.name,
      journalPending: 0,
      waitingForDatabase: 0,
      commandsPending: 0,
      oldestPendingSeconds: null,
    });
    } finally {
      await bot.stop();
    }
  });

  test('with HTTP_PORT=0 it does not listen at all', async () => {
    const bot = await startTestBot(backend, { env: { HTTP_PORT: '0' } });
    try {
      expect(bot.firebell.httpPort).toBeNull();
    } finally {
      await bot.stop();
    }
  });
});
