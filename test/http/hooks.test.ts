import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { postgresBehindProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { freePort } from './raw-http.ts';

const TOKEN = 'test-webhook-token-0123456789';

// Payloads as Alertmanager's documentation shows its webhook body (version 4).
function alertmanagerBody(status: 'firing' | 'resolved', alerts: { fingerprint: string; alertname: string; startsAt: string; endsAt?: string }[]) {
  return {
    version: '4',
    groupKey: '{}:{alertname="ReplicationLag"}',
    truncatedAlerts: 0,
    status,
    receiver: 'firebell',
    groupLabels: { alertname: 'ReplicationLag' },
    commonLabels: { alertname: 'ReplicationLag', severity: 'warning' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((a) => ({
      status,
      labels: { alertname: a.alertname, instance: `${a.fingerprint}.example:9100`, severity: 'warning' },
      annotations: { summary: `${a.fingerprint} is lagging` },
      startsAt: a.startsAt,
      endsAt: a.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=pg_replication_lag+%3E+30',
      fingerprint: a.fingerprint,
    })),
  };
}

async function post(port: number, path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(backends)('the warning hooks on $name', (backend) => {
  let bot: TestBot;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    bot = await startTestBot(backend, { env: { HTTP_PORT: String(port), WEBHOOK_TOKEN: TOKEN } });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-02T10:30:00Z');
  });

  test('a firing Alertmanager group becomes one warning per alert', async () => {
    const body = alertmanagerBody('firing', [
      { fingerprint: 'a1b2c3', alertname: 'ReplicationLag', startsAt: '2026-03-02T10:00:00Z' },
      { fingerprint: 'd4e5f6', alertname: 'ReplicationLag', startsAt: '2026-03-02T10:20:00Z' },
    ]);
    expect(await post(port, '/hooks/alertmanager', body)).toEqual({ status: 200, body: { status: 'recorded', alerts: 2 } });
    expect(await bot.say('warnings')).toBe(
      [
        'W-1 30m old · fired 1× · nagged 0× · owner none · ReplicationLag: a1b2c3 is lagging',
        'W-2 10m old · fired 1× · nagged 0× · owner none · ReplicationLag: d4e5f6 is lagging',
      ].join('\n'),
    );
    // Alertmanager sends the group again every repeat_interval: the same firing, counted once.
    await post(port, '/hooks/alertmanager', body);
    expect(await bot.say('warnings')).toContain('W-1 30m old · fired 1×');
  });

  test('a group of 100 alerts, some seen before, records each once; the same group again records nothing new', async () => {
    const fp = (i: number) => `f${String(i).padStart(3, '0')}`;
    const firing = (from: number, to: number, startsAt: string) =>
      Array.from({ length: to - from }, (_, k) => ({ fingerprint: fp(from + k), alertname: 'ReplicationLag', startsAt }));
    const first = alertmanagerBody('firing', firing(0, 30, '2026-03-02T10:00:00Z'));
    expect(await post(port, '/hooks/alertmanager', first)).toEqual({ status: 200, body: { status: 'recorded', alerts: 30 } });
    bot.clock.set('2026-03-02T10:40:00Z');
    // f000–f019: the same firings sent again; f020–f024: firing again; f025–f029: resolved; f030–f099: new.
    const group = alertmanagerBody('firing', [
      ...firing(0, 20, '2026-03-02T10:00:00Z'),
      ...firing(20, 25, '2026-03-02T10:35:00Z'),
      ...firing(25, 30, '2026-03-02T10:00:00Z'),
      ...firing(30, 100, '2026-03-02T10:38:00Z'),
    ]);
    group.alerts = group.alerts.map((a, i) => (i >= 25 && i < 30 ? { ...a, status: 'resolved', endsAt: '2026-03-02T10:39:00Z' } : a));
    const firedCounts = async () => {
      const counts = new Map<string, string>();
      for (const line of (await bot.say('warnings')).split('\n')) {
        const m = /· fired (\d+)× .*ReplicationLag: (f\d+) is lagging$/.exec(line);
        if (!m) throw new Error(`unexpected line: ${line}`);
        counts.set(m[2]!, m[1]!);
      }
      return counts;
    };
    const expected = new Map<string, string>();
    for (let i = 0; i < 100; i++) if (i < 25 || i >= 30) expected.set(fp(i), i >= 20 && i < 25 ? '2' : '1');

    expect(await post(port, '/hooks/alertmanager', group)).toEqual({ status: 200, body: { status: 'recorded', alerts: 100 } });
    expect(await firedCounts()).toEqual(expected);
    // Alertmanager retries a group it got no answer for: nothing is recorded twice.
    expect(await post(port, '/hooks/alertmanager', group)).toEqual({ status: 200, body: { status: 'recorded', alerts: 100 } });
    expect(await firedCounts()).toEqual(expected);
    // No W-number was spent on a warning that existed already: the next one is W-101.
    await post(port, '/hooks/warnings', { key: 'backup-nightly', summary: 'Nightly backup did not finish' });
    expect(await bot.say('warnings')).toMatch(/^W-101 0s old · fired 1× .*Nightly backup did not finish$/m);
  });

  test('a resolved alert closes its warning', async () => {
    await post(port, '/hooks/alertmanager', alertmanagerBody('firing', [{ fingerprint: 'a1b2c3', alertname: 'ReplicationLag', startsAt: '2026-03-02T10:00:00Z' }]));
    const resolved = alertmanagerBody('resolved', [
      { fingerprint: 'a1b2c3', alertname: 'ReplicationLag', startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T10:25:00Z' },
    ]);
    expect((await post(port, '/hooks/alertmanager', resolved)).status).toBe(200);
    expect(await bot.say('warnings')).toBe('No warning is open.');
  });

  test('the generic hook takes key, summary, severity, owner and status', async () => {
    const firing = { key: 'backup-nightly', summary: 'Nightly backup did not finish', severity: 'warning', owner: '@dana' };
    expect((await post(port, '/hooks/warnings', firing)).status).toBe(200);
    expect(await bot.say('warnings')).toBe('W-1 0s old · fired 1× · nagged 0× · owner dana · Nightly backup did not finish');
    expect((await post(port, '/hooks/warnings', { key: 'backup-nightly', summary: 'done', status: 'resolved' })).status).toBe(200);
    expect(await bot.say('warnings')).toBe('No warning is open.');
  });

  test('a missing or wrong token is 401, and nothing is recorded', async () => {
    const body = alertmanagerBody('firing', [{ fingerprint: 'a1', alertname: 'X', startsAt: '2026-03-02T10:00:00Z' }]);
    expect((await post(port, '/hooks/alertmanager', body, {})).status).toBe(401);
    expect((await post(port, '/hooks/alertmanager', body, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await post(port, '/hooks/warnings', { key: 'k', summary: 's' }, { authorization: TOKEN })).status).toBe(401);
    expect(await bot.say('warnings')).toBe('No warning is open.');
  });

  test('a bad body is 400 with a readable reason, and nothing is recorded', async () => {
    expect(await post(port, '/hooks/alertmanager', '{not json')).toEqual({ status: 400, body: { error: 'the body is not JSON' } });
    expect(await post(port, '/hooks/alertmanager', { ...alertmanagerBody('firing', []), version: '3' })).toEqual({
      status: 400,
      body: { error: 'version: expected version "4" (Alertmanager webhook payload)' },
    });
    const noStart = alertmanagerBody('firing', [{ fingerprint: 'a1', alertname: 'X', startsAt: 'yesterday' }]);
    expect((await post(port, '/hooks/alertmanager', noStart)).body.error).toMatch(/^alerts\.0\.startsAt: /);
    expect(await post(port, '/hooks/warnings', { summary: 'no key' })).toEqual({ status: 400, body: { error: expect.stringMatching(/^key: /) } });
    expect(await bot.say('warnings')).toBe('No warning is open.');
  });

  test('an oversized body is 413, and nothing is recorded', async () => {
    const huge = alertmanagerBody('firing', [{ fingerprint: 'a1', alertname: 'X'.repeat(1024 * 1024), startsAt: '2026-03-02T10:00:00Z' }]);
    expect((await post(port, '/hooks/alertmanager', huge)).status).toBe(413);
    expect(await bot.say('warnings')).toBe('No warning is open.');
  });
});

describe.each(backends.filter((b) => b.name === 'pglite'))('without WEBHOOK_TOKEN on $name', (backend) => {
  test('the hooks are off: 404, never open', async () => {
    const port = await freePort();
    const bot = await startTestBot(backend, { env: { HTTP_PORT: String(port) } });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/hooks/alertmanager`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await bot.stop();
    }
  });
});

const adminUrl = process.env.TEST_DATABASE_URL;

// Seed 000: the warning that arrives during an outage is exactly the one that matters.
describe.skipIf(!adminUrl)('an alert while Postgres is unreachable', () => {
  let proxy: TcpProxy;
  let bot: TestBot;
  let port: number;
  beforeAll(async () => {
    const behind = await postgresBehindProxy(adminUrl!);
    proxy = behind.proxy;
    port = await freePort();
    bot = await startTestBot(behind.backend, { now: '2026-03-02T10:30:00Z', env: { HTTP_PORT: String(port), WEBHOOK_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await bot.stop();
    await proxy.stop();
  });

  test('is journaled and answered 202, then recorded once when the database returns', async () => {
    await proxy.cut();
    const body = alertmanagerBody('firing', [{ fingerprint: 'a1b2c3', alertname: 'ReplicationLag', startsAt: '2026-03-02T10:29:00Z' }]);
    expect(await post(port, '/hooks/alertmanager', body)).toEqual({ status: 202, body: { status: 'queued', alerts: 1 } });
    // Alertmanager retries what it is unsure of: the retry is the same firing.
    expect((await post(port, '/hooks/alertmanager', body)).status).toBe(202);
    expect(bot.firebell.journal.pending()).toHaveLength(2);
    await proxy.restore();
    expect(await bot.firebell.executor.retryBacklog()).toBe(true);
    expect(await bot.say('warnings')).toBe('W-1 1m old · fired 1× · nagged 0× · owner none · ReplicationLag: a1b2c3 is lagging');
  });
});
