import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { FakeWebhookReceiver } from '../support/fake-status/webhook-receiver.ts';
import { postgresBehindProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const SECRET = 'outage-webhook-secret';

// Lesson 2 (seed 002): the status page must not die with the primary database.
describe.skipIf(!adminUrl)('a status update typed while Postgres is unreachable', () => {
  let proxy: TcpProxy;
  let bot: TestBot;
  let hook: FakeWebhookReceiver;
  let siteDir: string;

  beforeAll(async () => {
    const behind = await postgresBehindProxy(adminUrl!);
    proxy = behind.proxy;
    hook = await new FakeWebhookReceiver(SECRET).start();
    siteDir = await mkdtemp(join(tmpdir(), 'firebell-site-'));
    bot = await startTestBot(behind.backend, {
      now: '2026-03-01T10:00:00Z',
      env: { STATUS_SITE_DIR: siteDir, STATUS_WEBHOOK_URL: hook.hookUrl, STATUS_WEBHOOK_SECRET: SECRET },
      statusDelivery: { random: () => 0 },
    });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await bot.stop();
    await proxy.stop();
    await hook.stop();
    await rm(siteDir, { recursive: true, force: true });
  });

  const index = () => readFile(join(siteDir, 'index.html'), 'utf8');
  const statusJson = async () => JSON.parse(await readFile(join(siteDir, 'status.json'), 'utf8')) as { incidents: { incident_updates: { status: string; body: string }[] }[] };

  test('is on the static page at once, and reaches the external target once the database is back', async () => {
    await bot.say('start Payments queue stuck --sev 2');
    await bot.say('status investigating Payments are delayed');
    await bot.firebell.outbox.drain();
    await bot.firebell.statusDeliveries.drain();
    expect(hook.received.map((r) => r.body)).toEqual(['Payments are delayed']);

    await proxy.cut();
    bot.clock.set('2026-03-01T10:05:00Z');
    expect(await bot.say('status monitoring Failed over; payments are flowing')).toMatch(/^⏳ The database is unreachable/);
    await bot.firebell.statusSite.written();
    expect(await index()).toContain('Monitoring: Failed over; payments are flowing');
    expect((await statusJson()).incidents[0]!.incident_updates.map((u) => u.body)).toEqual(['Failed over; payments are flowing', 'Payments are delayed']);
    await bot.firebell.statusDeliveries.drain();
    expect(hook.received).toHaveLength(1);
    // A sync with the database leaves the page alone while the update waits to be recorded.
    expect(await bot.firebell.syncStatusSite()).toBe(false);
    expect(await index()).toContain('Monitoring: Failed over; payments are flowing');

    await proxy.restore();
    expect(await bot.firebell.executor.retryBacklog()).toBe(true);
    await bot.firebell.outbox.drain();
    await bot.firebell.statusDeliveries.drain();
    await bot.firebell.statusSite.written();
    expect(hook.received.map((r) => [r.status, r.body])).toEqual([
      ['investigating', 'Payments are delayed'],
      ['monitoring', 'Failed over; payments are flowing'],
    ]);
    // Recorded now: the queued copy on the page is replaced, not repeated, and the page agrees with the database.
    expect((await statusJson()).incidents[0]!.incident_updates.map((u) => u.body)).toEqual(['Failed over; payments are flowing', 'Payments are delayed']);
    expect(await bot.firebell.syncStatusSite()).toBe(false);
  });
});
