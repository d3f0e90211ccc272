import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { noticeText } from '../../src/chat/notice-text.ts';
import { plainLines } from '../../src/chat/reply.ts';
import { renderNotice } from '../../src/chat/slack/render.ts';
import type { Notice } from '../../src/core/notices.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { FakeWebhookReceiver } from '../support/fake-status/webhook-receiver.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { startStatusBot, type StatusBot } from '../support/status-bot.ts';

describe.each(backends)('stuck status deliveries nag the ops channel on $name', (backend) => {
  let status: StatusBot;
  let bot: TestBot;
  let chat: RecordingAdapter;
  let hook: FakeWebhookReceiver;

  beforeAll(async () => {
    // Attempts at 0 s, 30 s, 1 m 30 s, 3 m 30 s and 7 m 30 s: dead after the fifth.
    status = await startStatusBot(backend, { statusDelivery: { random: () => 0, retry: { maxAttempts: 5 } } });
    ({ bot, chat, hook } = status);
  });
  afterAll(() => status?.stop());
  beforeEach(() => status.reset());

  /** Time passes in 30 s steps; the delivery worker retries what falls due at each. */
  const runFor = async (seconds: number) => {
    for (let left = seconds; left > 0; left -= 30) {
      await bot.advance(`${Math.min(30, left)}s`);
      await bot.deliverStatus();
    }
  };
  const told = (kind: Notice['kind']) => chat.told.map((t) => t.notice).filter((n) => n.kind === kind);
  const words = (n: Notice) => plainLines({ tone: 'ok', lines: [noticeText(n)!.line] })[0];

  test('a status update the target will not take nags the ops channel at 5 min, once, naming what waits and why', async () => {
    hook.down();
    await bot.say('start Checkout <!channel> & cart');
    // Later than the scheduler's longest sleep from the start would bring it round by chance.
    await bot.advance('70s');
    await bot.say('status investigating Payments fail for some cards');
    await bot.deliverStatus();
    await runFor(4 * 60 + 30);
    await bot.advance('29s');
    expect(told('status_delivery_stuck')).toEqual([]);

    await bot.advance('1s');
    const stuck = told('status_delivery_stuck');
    expect(stuck).toHaveLength(1);
    expect(noticeText(stuck[0]!)!.audience).toEqual({ to: 'ops' });
    expect(words(stuck[0]!)).toMatch(
      /^⏳ The investigating update of INC-1 \(Checkout <!channel> & cart\) has waited 5m for webhook, tried 4 times \(last error: POST http:\/\/127\.0\.0\.1:\d+\/hooks\/status answered 503: down for maintenance\); `?deliveries`? lists it$/,
    );
    // The title is the incident's own words: escaped for Slack, so it notifies no one.
    expect(renderNotice(noticeText(stuck[0]!)!)).toContain('INC-1 (Checkout &lt;!channel&gt; &amp; cart) has waited');

    // Retried on, then dead at 7 m 30 s: the worker says so; the stuck nag is not said again.
    await runFor(20 * 60);
    expect(told('status_delivery_stuck')).toHaveLength(1);
    expect(told('status_delivery_dead')).toHaveLength(1);
    expect(bot.firebell.scheduler.nextWakeAt).not.toBeNull();
  });

  test('`deliveries retry` starts a new episode: still stuck 5 min later, it nags once more', async () => {
    hook.down();
    await bot.say('start Checkout down');
    await bot.say('status investigating Payments fail');
    await bot.deliverStatus();
    await runFor(10 * 60);
    expect(told('status_delivery_stuck')).toHaveLength(1);
    expect(told('status_delivery_dead')).toHaveLength(1);

    expect(await bot.say('deliveries retry 1')).toMatch(/will be tried again now$/);
    await bot.deliverStatus();
    await runFor(4 * 60 + 30);
    expect(told('status_delivery_stuck')).toHaveLength(1);
    await runFor(30);
    expect(told('status_delivery_stuck')).toHaveLength(2);
    expect(words(told('status_delivery_stuck')[1]!)).toMatch(/has waited 5m for webhook, tried 4 times/);

    hook.up();
    await runFor(10 * 60);
    expect(hook.received.map((r) => r.body)).toEqual(['Payments fail']);
    expect(told('status_delivery_stuck')).toHaveLength(2);
  });

  test('an update delivered, even after a few failures, never nags', async () => {
    hook.failNext(2);
    await bot.say('start Checkout down');
    await bot.say('status investigating Payments fail');
    await bot.say('resolve');
    await bot.deliverStatus();
    await runFor(15 * 60);
    expect(hook.received.map((r) => r.body)).toEqual(['Payments fail', 'This incident has been resolved.']);
    expect(told('status_delivery_stuck')).toEqual([]);
  });
});

describe.each(backends)('a stuck delivery across restarts, on $name', (backend) => {
  test('a bot stopped before 5 min: the next one nags at 5 min with no command to remind it; the one after does not repeat it', async () => {
    const hook = await new FakeWebhookReceiver().start();
    hook.down();
    const env = hook.settings;
    const statusDelivery = { random: () => 0 };
    const chats = [new RecordingAdapter('test'), new RecordingAdapter('test'), new RecordingAdapter('test')];
    const stuckTold = (chat: RecordingAdapter) => chat.told.filter((t) => t.notice.kind === 'status_delivery_stuck');
    const first = await startTestBot(backend, { now: '2026-03-01T10:00:00Z', env, adapters: () => [chats[0]!], statusDelivery });
    let second: TestBot | null = null;
    let third: TestBot | null = null;
    try {
      await first.say('start Checkout down');
      await first.say('status investigating Payments fail');
      await first.firebell.executor.idle();
      await first.firebell.statusDeliveries.drain();
      await first.advance('2m');
      await first.firebell.stop();
      expect(stuckTold(chats[0]!)).toEqual([]);

      second = await startTestBot(backend, { now: '2026-03-01T10:03:00Z', env, adapters: () => [chats[1]!], statusDelivery, database: first.database });
      // Its first attempt, at start-up, settled: a nag tick that met the row locked by that attempt
      // would look again a second later, after this test has looked.
      await second.firebell.statusDeliveries.drain();
      await second.advance('1m59s');
      expect(stuckTold(chats[1]!)).toEqual([]);
      await second.advance('1s');
      expect(stuckTold(chats[1]!)).toHaveLength(1);
      await second.firebell.stop();

      third = await startTestBot(backend, { now: '2026-03-01T10:06:00Z', env, adapters: () => [chats[2]!], statusDelivery, database: first.database });
      await third.firebell.statusDeliveries.drain();
      await third.advance('30m');
      expect(chats[2]!.told.map((t) => t.notice.kind)).not.toContain('status_delivery_stuck');
    } finally {
      // Stopping twice is harmless: each waits for the same stop.
      await third?.firebell.stop();
      await second?.firebell.stop();
      await first.firebell.stop();
      await first.database.drop();
      await hook.stop();
    }
  });
});
