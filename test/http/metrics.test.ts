import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Metrics } from '../../src/app/metrics.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { FakeWebhookReceiver } from '../support/fake-status/webhook-receiver.ts';
import { parseExposition, type Exposition } from '../support/prometheus-text.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { freePort } from './raw-http.ts';

const TOKEN = 'scrape-token-0123456789abcdef';
describe.each(backends)('GET /metrics on $name', (backend) => {
  let bot: TestBot;
  let hook: FakeWebhookReceiver;
  const chat = new RecordingAdapter('test');

  beforeAll(async () => {
    hook = await new FakeWebhookReceiver().start();
    bot = await startTestBot(backend, {
      env: { HTTP_PORT: String(await freePort()), METRICS_TOKEN: TOKEN, ...hook.settings },
      adapters: () => [chat],
      statusDelivery: { random: () => 0 },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await hook?.stop();
  });

  const url = () => `http://127.0.0.1:${bot.firebell.httpPort}/metrics`;
  async function scrape(): Promise<Exposition> {
    const res = await fetch(url(), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await res.text());
  }

  test('is refused without the token, or with a wrong one', async () => {
    const bare = await fetch(url());
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(url(), { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toBe('unauthorized\n');
  });

  test('parses as Prometheus text and registers every counter, at zero before anything happens', async () => {
    const m = await scrape();
    expect(m.types.get('firebell_commands_total')).toBe('counter');
    expect(m.types.get('firebell_command_duration_seconds')).toBe('histogram');
    expect(m.types.get('firebell_nags_sent_total')).toBe('counter');
    expect(m.types.get('firebell_chat_reconnects_total')).toBe('counter');
    expect(m.value('firebell_irc_lease_held')).toBe(0);
    expect(m.value('firebell_status_deliveries', { state: 'pending' })).toBe(0);
    expect(m.value('firebell_status_deliveries', { state: 'dead' })).toBe(0);
    expect(m.value('firebell_journal_pending_commands')).toBe(0);
    expect(m.value('firebell_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  test('counters move with commands: by verb and outcome, timed, and the outbox shows what waits', async () => {
    const before = await scrape();
    const count = (m: Exposition, verb: string, outcome: string) => m.value('firebell_commands_total', { verb, outcome }) ?? 0;
    chat.hang();
    await bot.say('start Checkout errors --tz UTC');
    await bot.say('log Rolled back');
    await bot.say('log Still failing');
    await bot.say('sev 9');
    await bot.say('frobnicate');
    const after = await scrape();
    expect(count(after, 'start', 'ok') - count(before, 'start', 'ok')).toBe(1);
    expect(count(after, 'log', 'ok') - count(before, 'log', 'ok')).toBe(2);
    expect(count(after, 'sev', 'error') - count(before, 'sev', 'error')).toBe(1);
    expect(count(after, 'unknown', 'error') - count(before, 'unknown', 'error')).toBe(1);
    const timed = (m: Exposition) => m.value('firebell_command_duration_seconds_count', { verb: 'log' }) ?? 0;
    expect(timed(after) - timed(before)).toBe(2);
    expect(after.value('firebell_command_duration_seconds_bucket', { verb: 'log', le: '+Inf' })).toBe(timed(after));
    // The chat platform hangs: the opening notice is being delivered, so it still counts as waiting.
    expect(after.value('firebell_outbox_pending', { consumer: 'test' })).toBeGreaterThanOrEqual(1);
    expect(after.value('firebell_outbox_dead', { consumer: 'test' })).toBe(0);
    chat.release();
    await bot.firebell.outbox.drain();
    expect((await scrape()).value('firebell_outbox_pending', { consumer: 'test' })).toBe(0);
  });

  test('nags sent by the scheduler are counted', async () => {
    const before = (await scrape()).value('firebell_nags_sent_total', { kind: 'warning' }) ?? 0;
    await bot.say('warn Disk on db-1 almost full');
    await bot.advance('15m');
    await bot.firebell.outbox.drain();
    expect(chat.told.some((t) => t.notice.kind === 'warning_nag')).toBe(true);
    expect((await scrape()).value('firebell_nags_sent_total', { kind: 'warning' })).toBe(before + 1);
  });

  test('a counter moved by another part shows up: chat reconnects, the IRC lease', async () => {
    bot.firebell.metrics.chatReconnects.inc({ platform: 'irc' });
    bot.firebell.metrics.ircLeaseHeld.set(1);
    const m = await scrape();
    expect(m.value('firebell_chat_reconnects_total', { platform: 'irc' })).toBe(1);
    expect(m.value('firebell_irc_lease_held')).toBe(1);
  });

  test('status deliveries: pending while the target is down, a stuck one counted as a nag, dead once set aside', async () => {
    const nagged = (m: Exposition) => m.value('firebell_nags_sent_total', { kind: 'delivery' }) ?? 0;
    hook.down();
    const before = await scrape();
    const ref = /INC-\d+/.exec(await bot.say('start Status page down --tz UTC'))![0];
    await bot.say(`status ${ref} investigating Payments fail`);
    await bot.deliverStatus();
    const waiting = await scrape();
    expect(waiting.value('firebell_status_deliveries', { state: 'pending' })).toBe(1);
    expect(waiting.value('firebell_status_deliveries', { state: 'dead' })).toBe(0);

    await bot.advance('5m');
    expect(nagged(await scrape()) - nagged(before)).toBe(1);

    // Ten failed attempts over some hours: set aside as dead.
    for (let i = 0; i < 12; i++) {
      bot.clock.advance('1h');
      await bot.deliverStatus();
    }
    const dead = await scrape();
    expect(dead.value('firebell_status_deliveries', { state: 'pending' })).toBe(0);
    expect(dead.value('firebell_status_deliveries', { state: 'dead' })).toBe(1);
  });
});

describe('gauges read at scrape', () => {
  test('status deliveries keep their last counts while the database cannot be asked', async () => {
    let counts: { pending: number; dead: number } | null = null;
    const metrics = new Metrics({
      journalPending: () => 0,
      outboxCounts: async () => ({}),
      statusDeliveryCounts: async () => counts ?? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    });
    const scrape = async () => parseExposition(await metrics.registry.metrics());
    const deliveries = (m: Exposition) => [m.value('firebell_status_deliveries', { state: 'pending' }), m.value('firebell_status_deliveries', { state: 'dead' })];

    expect(deliveries(await scrape())).toEqual([0, 0]);
    counts = { pending: 3, dead: 1 };
    expect(deliveries(await scrape())).toEqual([3, 1]);
    counts = null;
    expect(deliveries(await scrape())).toEqual([3, 1]);
    counts = { pending: 0, dead: 2 };
    expect(deliveries(await scrape())).toEqual([0, 2]);
  });
});
