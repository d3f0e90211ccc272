import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { noticeText } from '../../src/chat/notice-text.ts';
import { plainLines } from '../../src/chat/reply.ts';
import { openDatabase } from '../../src/store/open.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends, silentLog } from '../support/databases.ts';
import { FakeWebhookReceiver } from '../support/fake-status/webhook-receiver.ts';
import type { RecordingAdapter } from '../support/recording-adapter.ts';
import { startStatusBot, type StatusBot } from '../support/status-bot.ts';

describe.each(backends)('status deliveries through the outbox on $name', (backend) => {
  let status: StatusBot;
  let bot: TestBot;
  let chat: RecordingAdapter;
  let hook: FakeWebhookReceiver;

  beforeAll(async () => {
    // The default send timeout: a loaded machine must never make a send here time out.
    status = await startStatusBot(backend, { statusDelivery: { random: () => 0 } });
    ({ bot, chat, hook } = status);
  });
  afterAll(() => status.stop());
  beforeEach(() => status.reset());

  const pending = async () =>
    (await bot.firebell.db.query<{ n: number }>(`select count(*)::int as n from status_deliveries where state = 'pending'`)).rows[0]!.n;

  test('a status update reaches the webhook signed, naming the incident, its state and the public message', async () => {
    await bot.say('start Checkout down --sev 2');
    expect(await bot.say('status investigating Payments fail for some cards')).toMatch(/^INC-1 status is now/);
    await bot.deliverStatus();
    expect(hook.rejected).toEqual([]);
    expect(hook.received).toEqual([{ deliveryId: 'firebell-delivery-1', incident: 'INC-1', status: 'investigating', body: 'Payments fail for some cards' }]);
    const body = hook.requests[0]!.body as { incident: { name: string; impact: string } };
    expect(body.incident).toMatchObject({ name: 'Checkout down', impact: 'major' });
    expect(await pending()).toBe(0);
  });

  test('only what is typed in status goes out: timeline entries stay internal', async () => {
    await bot.say('start Checkout down');
    await bot.say('log the primary db is at 100% cpu, suspect customer acme');
    await bot.say('resolve');
    await bot.deliverStatus();
    expect(hook.received.map((r) => [r.status, r.body])).toEqual([['resolved', 'This incident has been resolved.']]);
    expect(hook.requests.some((r) => r.raw.includes('acme'))).toBe(false);
  });

  test('a target that fails is retried with backoff until it answers, and gets every update once, in order', async () => {
    hook.failNext(3);
    await bot.say('start Checkout down');
    await bot.say('status investigating first');
    await bot.say('status identified second');
    await bot.say('status monitoring third');
    await bot.deliverStatus();
    expect(hook.received).toEqual([]);
    // The second update waits behind the first: one request so far.
    expect(hook.requests).toHaveLength(1);

    bot.clock.advance('29s');
    await bot.deliverStatus();
    expect(hook.requests).toHaveLength(1);
    bot.clock.advance('1s');
    await bot.deliverStatus();
    expect(hook.requests).toHaveLength(2);
    bot.clock.advance('1m');
    await bot.deliverStatus();
    expect(hook.received).toEqual([]);
    bot.clock.advance('2m');
    await bot.deliverStatus();

    expect(hook.received.map((r) => r.body)).toEqual(['first', 'second', 'third']);
    expect(hook.accepted).toEqual(['firebell-delivery-1', 'firebell-delivery-2', 'firebell-delivery-3']);
    expect(await pending()).toBe(0);
  });

  test('429 with Retry-After (and Statuspage\'s 420) is honoured: no retry before the time it asked for', async () => {
    hook.rateLimitNext(1, '120');
    hook.rateLimitNext(1, '90', 420);
    await bot.say('start Checkout down');
    await bot.say('status investigating rate limited');
    await bot.deliverStatus();
    bot.clock.advance('119s');
    await bot.deliverStatus();
    expect(hook.requests).toHaveLength(1);
    bot.clock.advance('1s');
    await bot.deliverStatus();
    expect(hook.requests).toHaveLength(2);
    bot.clock.advance('89s');
    await bot.deliverStatus();
    expect(hook.requests).toHaveLength(2);
    bot.clock.advance('1s');
    await bot.deliverStatus();
    expect(hook.received.map((r) => r.body)).toEqual(['rate limited']);
  });

  test('an hour-long outage of the target is ridden out: the update arrives when it is back', async () => {
    hook.down();
    await bot.say('start Checkout down');
    await bot.say('status investigating during the outage');
    for (let minutes = 0; minutes < 60; minutes += 5) {
      await bot.deliverStatus();
      bot.clock.advance('5m');
    }
    hook.up();
    for (let i = 0; i < 4 && hook.received.length === 0; i++) {
      bot.clock.advance('20m');
      await bot.deliverStatus();
    }
    expect(hook.received.map((r) => r.body)).toEqual(['during the outage']);
    expect(chat.told.filter((t) => t.notice.kind === 'status_delivery_dead')).toEqual([]);
  });

  test('after 10 failed attempts the delivery is dead, the ops channel is told, and later updates still go out', async () => {
    hook.refuseWhen((r) => r.raw.includes('poison'));
    await bot.say('start Checkout down');
    await bot.say('status investigating poison');
    for (let i = 0; i < 12; i++) {
      await bot.deliverStatus();
      bot.clock.advance('1h');
    }
    expect(hook.requests).toHaveLength(10);
    await bot.say('status monitoring fixed');
    await bot.deliverStatus();
    await bot.firebell.outbox.drain();
    expect(hook.received.map((r) => r.body)).toEqual(['fixed']);
    const dead = chat.told.map((t) => t.notice).filter((n) => n.kind === 'status_delivery_dead');
    expect(dead).toHaveLength(1);
    const words = noticeText(dead[0]!)!;
    expect(words.audience).toEqual({ to: 'ops' });
    expect(plainLines({ tone: 'ok', lines: [words.line] })[0]).toMatch(
      /^⚠ The investigating update of INC-1 could not be delivered to webhook after 10 attempts \(POST http:\/\/127\.0\.0\.1:\d+\/hooks\/status answered 500: cannot take this one\); `?deliveries retry 1`? tries again$/,
    );
  });

  test('`deliveries` lists what is pending and dead; `deliveries retry` sends a dead one again', async () => {
    expect(await bot.say('deliveries')).toBe('Every status update has been delivered.');
    hook.refuseWhen((r) => r.raw.includes('poison'));
    await bot.say('start Checkout down');
    await bot.say('status investigating poison');
    for (let i = 0; i < 10; i++) {
      await bot.deliverStatus();
      bot.clock.advance('1h');
    }
    hook.down();
    await bot.say('status monitoring later');
    await bot.deliverStatus();
    const listed = (await bot.say('deliveries')).split('\n');
    expect(listed[0]).toMatch(/^#1 webhook · INC-1 investigating · dead after 10 attempts · last error: POST http:\/\/127\.0\.0\.1:\d+\/hooks\/status answered 500: cannot take this one$/);
    expect(listed[1]).toMatch(/^#2 webhook · INC-1 monitoring · pending, 1 attempts so far, next at 2026-03-01 20:00 UTC · last error: .* answered 503: down for maintenance$/);

    expect(await bot.say('deliveries retry 2')).toBe('✗ no dead delivery #2: `deliveries` lists them');
    expect(await bot.say('deliveries retry')).toBe('✗ missing delivery id: `deliveries retry <id>`');
    expect(await bot.say('deliveries again 1')).toMatch(/^✗ bad action "again": use retry/);
    hook.up();
    hook.refuseWhen(() => false);
    expect(await bot.say('deliveries retry #1')).toBe('Delivery #1 (webhook, INC-1 investigating) will be tried again now');
    bot.clock.advance('1m');
    await bot.deliverStatus();
    expect(hook.received.map((r) => r.body)).toEqual(['poison', 'later']);
    expect(await bot.say('deliveries')).toBe('Every status update has been delivered.');
  });

  test('a delivery is dead after 24 hours even with attempts left', async () => {
    hook.rateLimitNext(3, String(10 * 3600));
    await bot.say('start Checkout down');
    await bot.say('status investigating slow target');
    for (let i = 0; i < 4; i++) {
      await bot.deliverStatus();
      bot.clock.advance('10h');
    }
    await bot.firebell.outbox.drain();
    expect(hook.requests).toHaveLength(3);
    expect(chat.told.map((t) => t.notice.kind)).toContain('status_delivery_dead');
  });
});

describe.each(backends)('a target that does not answer on $name', (backend) => {
  test('the send times out and is tried again', async () => {
    const hook = await new FakeWebhookReceiver().start();
    hook.hangNext(1);
    let bot: TestBot | null = null;
    try {
      bot = await startTestBot(backend, {
        now: '2026-03-01T10:00:00Z',
        env: hook.settings,
        statusDelivery: { random: () => 0, timeoutMs: 1_000 },
      });
      await bot.say('start Checkout down');
      await bot.say('status investigating hanging');
      await bot.firebell.executor.idle();
      await bot.firebell.statusDeliveries.drain();
      expect(hook.received).toEqual([]);
      const lastError = await bot.firebell.db.query<{ last_error: string }>('select last_error from status_deliveries');
      expect(lastError.rows[0]!.last_error).toMatch(/no answer within 1000 ms/);
      // Retried on the backoff schedule; a loaded machine may time out a retry too, so allow a few.
      for (let i = 0; i < 4 && hook.received.length === 0; i++) {
        bot.clock.advance('5m');
        await bot.firebell.statusDeliveries.drain();
      }
      expect(hook.received.map((r) => r.body)).toEqual(['hanging']);
    } finally {
      await bot?.stop();
      await hook.stop();
    }
  });
});

describe.each(backends)('stopping while a target hangs on $name', (backend) => {
  test('the send is abandoned, nothing is counted against it, and the next start delivers it once', async () => {
    const hook = await new FakeWebhookReceiver().start();
    const env = hook.settings;
    hook.hangNext(1);
    let bot: TestBot | null = null;
    try {
      bot = await startTestBot(backend, { now: '2026-03-01T10:00:00Z', env, statusDelivery: { random: () => 0, timeoutMs: 600_000 } });
      await bot.say('start Checkout down');
      await bot.say('status investigating hanging at shutdown');
      await bot.firebell.executor.idle();
      bot.firebell.statusDeliveries.wake();
      while (hook.requests.length === 0) await new Promise((resolve) => hook.once('request', resolve));
      await bot.firebell.stop();
      const database = bot.database;
      // Read between the two runs: the next start wakes its worker at once, which may deliver it
      // before the test could look.
      const between = await openDatabase(database.settings, silentLog);
      try {
        const row = await between.query<{ state: string; last_error: string | null }>('select state, last_error from status_deliveries');
        expect(row.rows).toEqual([{ state: 'pending', last_error: null }]);
      } finally {
        await between.close();
      }
      const left = await startTestBot(backend, { now: '2026-03-01T10:05:00Z', env, database, statusDelivery: { random: () => 0 } });
      try {
        await left.firebell.statusDeliveries.drain();
        expect(hook.received.map((r) => r.body)).toEqual(['hanging at shutdown']);
      } finally {
        await left.stop();
      }
    } finally {
      await bot?.stop();
      await hook.stop();
    }
  });
});

describe.each(backends)('one failing target does not hold up another on $name', (backend) => {
  test('a dead target and a working one: the working one gets every update at once', async () => {
    const broken = await new FakeWebhookReceiver().start();
    const working = await new FakeWebhookReceiver().start();
    broken.hangNext(100);
    let bot: TestBot | null = null;
    try {
      bot = await startTestBot(backend, {
        now: '2026-03-01T10:00:00Z',
        env: broken.settings,
        statusDelivery: { random: () => 0, timeoutMs: 60_000 },
        statusTargets: (clock) => [working.target('relay', clock)],
      });
      await bot.say('start Checkout down');
      await bot.say('status investigating one');
      await bot.say('status monitoring two');
      await bot.firebell.executor.idle();
      bot.firebell.statusDeliveries.wake();
      await working.waitFor(2);
      expect(working.received.map((r) => r.body)).toEqual(['one', 'two']);
      expect(broken.received).toEqual([]);
    } finally {
      await broken.stop();
      await bot?.stop();
      await working.stop();
    }
  });
});
