import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { postgresBehindProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { freePort } from '../http/raw-http.ts';

async function health(bot: TestBot): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${bot.firebell.httpPort}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(backends)('/healthz on $name', (backend) => {
  test('says ok while the database answers and nothing waits', async () => {
    const bot = await startTestBot(backend, { env: { HTTP_PORT: String(await freePort()) } });
    try {
      await bot.say('start Checkout errors --tz UTC');
      expect(await health(bot)).toEqual({
        status: 200,
        body: { status: 'ok', database: 'reachable', backend: backend.name, journalPending: 0, waitingForDatabase: 0, commandsPending: 0, oldestPendingSeconds: null },
      });
    } finally {
      await bot.stop();
    }
  });

  test('says draining (503) while stopping, and commands are refused with one line', async () => {
    const chat = new RecordingAdapter('test');
    const bot = await startTestBot(backend, {
      env: { HTTP_PORT: String(await freePort()) },
      adapters: () => [chat],
      outbox: { stopGraceMs: 60_000 },
    });
    try {
      // The chat platform hangs on the notice, so the stop waits for it within its grace.
      chat.hang();
      await bot.say('start Checkout errors --tz UTC');
      const stopped = bot.firebell.stop();
      const answer = await health(bot);
      expect(answer.status).toBe(503);
      expect(answer.body.status).toBe('draining');
      expect(await bot.say('log Rolled back')).toBe('✗ firebell is stopping, so this command was not taken: send it again in a moment');
      chat.release();
      await stopped;
      // The notice was delivered before the adapter was stopped.
      expect(chat.kinds()).toContain('incident_opened');
    } finally {
      chat.release();
      await bot.stop();
    }
  });
});

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('/healthz while Postgres is unreachable', () => {
  let proxy: TcpProxy;
  let bot: TestBot;

  beforeAll(async () => {
    const behind = await postgresBehindProxy(adminUrl!);
    proxy = behind.proxy;
    bot = await startTestBot(behind.backend, { now: '2026-03-01T10:00:00Z', env: { HTTP_PORT: String(await freePort()) } });
    await bot.say('start Payments queue stuck --tz UTC');
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await bot.stop();
    await proxy.stop();
  });

  test('says degraded (still 200: commands are taken) with the oldest waiting command’s age, then ok once they are recorded', async () => {
    await proxy.cut();
    bot.clock.set('2026-03-01T10:05:00Z');
    expect(await bot.say('log Failing over')).toMatch(/^⏳ /);
    bot.clock.set('2026-03-01T10:06:00Z');
    expect(await bot.say('log Paged the DBA')).toMatch(/^⏳ /);
    bot.clock.set('2026-03-01T10:06:30Z');
    expect(await health(bot)).toEqual({
      status: 200,
      body: {
        status: 'degraded',
        database: 'unreachable',
        backend: 'postgres',
        journalPending: 2,
        waitingForDatabase: 2,
        commandsPending: 2,
        oldestPendingSeconds: 90,
      },
    });

    await proxy.restore();
    expect(await bot.firebell.executor.retryBacklog()).toBe(true);
    expect((await health(bot)).body).toMatchObject({ status: 'ok', database: 'reachable', journalPending: 0, commandsPending: 0, oldestPendingSeconds: null });
  });
});
