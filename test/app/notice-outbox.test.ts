import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { noticeIncidentId, type Notice } from '../../src/core/notices.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';

const incidentOf = (n: Notice) => noticeIncidentId(n);

describe.each(backends)('notices through the chat outbox on $name', (backend) => {
  let bot: TestBot;
  let chat: RecordingAdapter;

  beforeAll(async () => {
    chat = new RecordingAdapter('test');
    bot = await startTestBot(backend, {
      now: '2026-03-01T10:00:00Z',
      adapters: () => [chat],
      outbox: { retryDelaysMs: [60_000], random: () => 0, maxAttempts: 3, stopGraceMs: 0 },
    });
  });
  afterAll(async () => {
    chat.release();
    await bot.stop();
  });
  beforeEach(async () => {
    chat.release();
    await bot.firebell.outbox.drain();
    await bot.reset();
    chat.told.length = 0;
    chat.lateReplies.length = 0;
    chat.attempts = 0;
    chat.attemptKeys.length = 0;
    chat.failNext(0);
    bot.clock.set('2026-03-01T10:00:00Z');
  });

  test('a chat platform that hangs does not hold up the next command, and hears everything once it answers again', async () => {
    chat.hang();
    expect(await bot.say('start Checkout down --sev 2')).toMatch(/^INC-1 opened/);
    for (let i = 1; i <= 30; i++) expect(await bot.say(`log step ${i}`)).toMatch(/^Logged #\d+ on INC-1/);
    expect(await bot.say('sev 1')).toMatch(/^INC-1 is now SEV1/);
    expect(await bot.say('start Search slow')).toMatch(/^INC-2 opened/);
    await bot.firebell.executor.idle();
    expect(chat.told).toEqual([]);

    chat.release();
    await bot.firebell.outbox.drain();
    const told = chat.told.map((t) => [incidentOf(t.notice), t.notice.kind]);
    expect(told).toHaveLength(3);
    // About one incident, in the order it happened; other incidents are not held up by it.
    expect(told.filter(([id]) => id === 1)).toEqual([
      [1, 'incident_opened'],
      [1, 'incident_updated'],
    ]);
    expect(told).toContainEqual([2, 'incident_opened']);
  });

  test('a delivery that fails is tried again after its backoff, with the same key', async () => {
    chat.failNext(1);
    await bot.say('start Checkout down');
    await bot.firebell.outbox.drain();
    expect(chat.told).toEqual([]);
    expect(chat.attempts).toBe(1);

    bot.clock.advance('59s');
    await bot.firebell.outbox.drain();
    expect(chat.attempts).toBe(1);

    bot.clock.advance('1s');
    await bot.firebell.outbox.drain();
    expect(chat.kinds()).toEqual(['incident_opened']);
    expect(chat.attempts).toBe(2);
    expect(new Set(chat.attemptKeys.slice(-2)).size).toBe(1);
    expect((await bot.firebell.db.query<{ n: number }>('select count(*)::int as n from notice_deliveries')).rows[0]!.n).toBe(0);
  });

  test('a notice that keeps failing is set aside and does not hold up the ones after it', async () => {
    chat.failNext(3);
    await bot.say('start Checkout down');
    for (let attempt = 0; attempt < 3; attempt++) {
      await bot.firebell.outbox.drain();
      bot.clock.advance('1m');
    }
    expect(chat.attempts).toBe(3);
    await bot.say('sev 1');
    await bot.say('start Search slow');
    await bot.firebell.outbox.drain();
    expect(chat.told.map((t) => [incidentOf(t.notice), t.notice.kind])).toEqual([
      [1, 'incident_updated'],
      [2, 'incident_opened'],
    ]);
    expect(await bot.firebell.outbox.counts()).toEqual({ test: { pending: 0, dead: 1 }, 'postmortem-draft': { pending: 0, dead: 0 } });
  });

  test('notices carry what adapters need: the opener, the commander, the postmortem link', async () => {
    await bot.say('start Checkout down --sev 2', { as: 'dana' });
    await bot.say('role commander @sam');
    await bot.say('status identified Bad deploy');
    await bot.say('close');
    await bot.firebell.outbox.drain();
    const [opened, role, status, closed, ready] = chat.told.map((t) => t.notice);
    expect(opened).toMatchObject({ kind: 'incident_opened', opener: { platform: 'test', id: 'dana', name: 'dana' }, origin: { platform: 'test', channelId: 'general' } });
    expect(role).toMatchObject({ kind: 'incident_updated', change: 'role', commander: { name: 'sam', id: 'test:sam' } });
    expect(status).toMatchObject({ kind: 'incident_updated', change: 'status', incident: { state: 'identified' }, commander: { name: 'sam' } });
    expect(closed).toMatchObject({ kind: 'incident_closed', incident: { id: 1 } });
    expect(ready).toEqual({ kind: 'postmortem_ready', incidentId: 1, filename: 'INC-1.md', url: null });
    // Read back from the outbox, an instant is a Date again.
    expect(closed && 'incident' in closed && closed.incident.closedAt).toEqual(new Date('2026-03-01T10:00:00Z'));
  });

  test('a unit of work run by a worker keeps its notices with its commit, and none when it rolls back', async () => {
    await bot.say('start Checkout down');
    await bot.firebell.outbox.drain();
    chat.told.length = 0;
    await bot.firebell.work.run(async ({ notify }) => notify({ kind: 'postmortem_outdated', incidentId: 1 }));
    await expect(
      bot.firebell.work.run(async ({ notify }) => {
        notify({ kind: 'postmortem_outdated', incidentId: 1 });
        throw new Error('the worker failed');
      }),
    ).rejects.toThrow('the worker failed');
    await bot.firebell.outbox.drain();
    expect(chat.kinds()).toEqual(['postmortem_outdated']);
  });
});

describe.each(backends)('a notice kept but not delivered when the bot stopped, on $name', (backend) => {
  test('is delivered after the next start', async () => {
    const first = new RecordingAdapter('test');
    first.hang();
    const bot = await startTestBot(backend, { now: '2026-03-01T10:00:00Z', adapters: () => [first], outbox: { stopGraceMs: 0 } });
    await bot.say('start Checkout down');
    await bot.firebell.executor.idle();
    await bot.firebell.stop();
    expect(first.told).toEqual([]);

    const second = new RecordingAdapter('test');
    const again = await startTestBot(backend, { now: '2026-03-01T10:00:00Z', adapters: () => [second], database: bot.database });
    try {
      // It was being delivered when the first bot went away: it is tried again once that claim lapses.
      again.clock.advance('3m');
      await again.firebell.outbox.drain();
      expect(second.kinds()).toEqual(['incident_opened']);
    } finally {
      first.release();
      await again.stop();
      await bot.database.drop();
    }
  });
});
