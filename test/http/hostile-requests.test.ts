import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnFirebell } from '../support/cli.ts';
import { backends, type TestDatabase } from '../support/databases.ts';
import { freePort, rawRequest } from './raw-http.ts';

const get = (target: string, headers = '') => `GET ${target} HTTP/1.1\r\nHost: firebell\r\nConnection: close\r\n${headers}\r\n`;

/**
 * What anyone who can reach the port may send, and what firebell must answer. A status of null
 * means Node's own parser hung up without an answer, which is fine for what is not HTTP at all.
 */
const HOSTILE: { name: string; request: string | Buffer; status: number | null }[] = [
  { name: 'a doubled slash', request: get('//'), status: 404 },
  { name: 'an asterisk', request: get('*'), status: 400 },
  { name: 'an absolute URL', request: get('http://firebell.example.com/healthz'), status: 400 },
  { name: 'a lone percent sign', request: get('%'), status: 400 },
  { name: 'a bad percent escape', request: get('/%zz'), status: 404 },
  { name: 'an encoded dot-dot', request: get('/..%2f..%2fetc%2fpasswd'), status: 404 },
  { name: 'a plain dot-dot', request: get('/../../etc/passwd'), status: 404 },
  { name: 'a NUL byte in the path', request: get('/heal\0thz'), status: 400 },
  { name: 'a control character in the path', request: get('/\x01'), status: 400 },
  { name: 'non-ASCII in the path', request: get('/h\u00e9llo'), status: 400 },
  { name: 'a 100 kB path', request: get(`/${'a'.repeat(100_000)}`), status: 431 },
  { name: 'a 100 kB header', request: get('/healthz', `X-Filler: ${'b'.repeat(100_000)}\r\n`), status: 431 },
  { name: 'a body on a GET', request: get('//', 'Content-Length: 5\r\n') + 'hello', status: 404 },
  { name: 'a Content-Length that is not a number', request: get('/healthz', 'Content-Length: many\r\n'), status: 400 },
  { name: 'two Content-Lengths', request: get('/healthz', 'Content-Length: 1\r\nContent-Length: 2\r\n'), status: 400 },
  { name: 'a header without a colon', request: get('/healthz', 'NoColonHere\r\n'), status: 400 },
  { name: 'an unknown method', request: 'BREW /healthz HTTP/1.1\r\nHost: firebell\r\n\r\n', status: 400 },
  { name: 'OPTIONS *', request: 'OPTIONS * HTTP/1.1\r\nHost: firebell\r\nConnection: close\r\n\r\n', status: 400 },
  { name: 'CONNECT', request: 'CONNECT firebell:443 HTTP/1.1\r\nHost: firebell:443\r\n\r\n', status: null },
  { name: 'HTTP/1.1 without a Host', request: 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', status: 400 },
  { name: 'bytes that are not HTTP', request: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a, 0x0d, 0x0a]), status: 400 },
  { name: 'half a request line, then the client hangs up', request: 'GET /postm', status: 400 },
];

describe.each(backends)('the firebell binary facing hostile HTTP clients, on $name', (backend) => {
  let target: TestDatabase;
  let child: ChildProcessWithoutNullStreams;
  let port: number;
  let stderr = '';

  beforeAll(async () => {
    target = await backend.create();
    port = await freePort();
    child = spawnFirebell([], { ...target.settings, HTTP_PORT: String(port) });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    // Waiting for the real server's socket: /healthz answers once firebell is ready.
    for (let i = 0; ; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i >= 200 || child.exitCode !== null) throw new Error(`firebell did not start:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    }
    await target.drop();
  });

  test('every malformed request gets a 4xx (or a closed connection) and the process keeps serving', async () => {
    const answers: Record<string, number | null> = {};
    for (const h of HOSTILE) answers[h.name] = (await rawRequest(port, h.request)).status;
    expect(answers).toEqual(Object.fromEntries(HOSTILE.map((h) => [h.name, h.status])));

    expect(child.exitCode, stderr).toBeNull();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'reachable', backend: backend.name });
  });
});
