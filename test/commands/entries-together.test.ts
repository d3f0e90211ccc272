import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

/**
 * Entries typed while a transaction runs queue up and are written together, in one statement
 * (group commit). Each must get the reply, and leave the record, that it would have alone.
 */
describe.each(backends)('entries typed at the same moment, on $name', (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend);
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
    await bot.say('start Checkout down --tz Europe/Berlin --at "2026-03-01 23:40"');
    await bot.say('start Search slow --tz UTC');
    await bot.link('inc-1', 1);
    await bot.link('inc-2', 2);
  });

  test('each is recorded once, on its own channel’s incident, in the order typed there', async () => {
    const typed = Array.from({ length: 12 }, (_, i) => ({ text: `step ${i}`, channel: i % 2 === 0 ? 'inc-1' : 'inc-2' }));
    const replies = await Promise.all(typed.map((t) => bot.say(`log ${t.text}`, { channel: t.channel })));
    replies.forEach((r, i) => expect(r).toMatch(new RegExp(`^Logged #\\d+ on INC-${i % 2 === 0 ? 1 : 2} at `)));
    const ids = replies.map((r) => Number(/#(\d+)/.exec(r)![1]));
    for (const incident of [1, 2]) {
      const { entries } = await bot.record(incident);
      const logged = entries.filter((e) => e.kind === 'note');
      expect(logged.map((e) => e.text)).toEqual(typed.filter((t) => t.channel === `inc-${incident}`).map((t) => t.text));
      // Channels may run side by side (Postgres): ids follow the order typed within each one.
      const typedHere = ids.filter((_, i) => typed[i]!.channel === `inc-${incident}`);
      expect(logged.map((e) => e.id)).toEqual(typedHere);
      expect([...typedHere].sort((a, b) => a - b)).toEqual(typedHere);
    }
  });

  test('a bare time is read against the entry typed just before it, in the same batch', async () => {
    bot.clock.set('2026-03-03T11:00:00Z');
    const replies = await Promise.all([
      bot.say('log 2026-03-01 23:45 warm-up', { channel: 'inc-1' }),
      bot.say('log 2026-03-02 23:50 Rolled back release 4812', { channel: 'inc-1' }),
      // Nearest the entry before it (not the one before the batch): the next day.
      bot.say('log 00:05 Error rate back to normal', { channel: 'inc-1' }),
      bot.say('action INC-2 Paged search on-call', { channel: 'inc-1' }),
    ]);
    expect(replies[1]).toMatch(/^Logged #\d+ on INC-1 at 2026-03-02 23:50 Europe\/Berlin \(\+01:00\)$/);
    expect(replies[2]).toMatch(/^Logged #\d+ on INC-1 at 2026-03-03 00:05 Europe\/Berlin \(\+01:00\)$/);
    expect(replies[3]).toMatch(/^Logged action #\d+ on INC-2 at /);
  });

  test('one refused entry, or one typed where no incident applies, is answered alone and the rest are recorded', async () => {
    const replies = await Promise.all([
      bot.say('log warm-up', { channel: 'inc-1' }),
      bot.say('log one', { channel: 'inc-1' }),
      bot.say('log 23:59 in the future', { channel: 'inc-2' }),
      bot.say('log nowhere to go', { channel: 'lobby' }),
      bot.say('log two', { channel: 'inc-2' }),
      bot.say('log INC-9 no such incident', { channel: 'inc-2' }),
    ]);
    expect(replies[2]).toMatch(/^✗ .*future/);
    expect(replies[3]).toMatch(/^✗ 2 incidents are open/);
    expect(replies[5]).toBe('✗ INC-9 does not exist');
    expect(replies[1]).toMatch(/^Logged #\d+ on INC-1/);
    expect(replies[4]).toMatch(/^Logged #\d+ on INC-2/);
    const texts = [...(await bot.record(1)).entries, ...(await bot.record(2)).entries].map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['warm-up', 'one', 'two']));
    expect(texts.filter((t) => /future|nowhere|no such/.test(t))).toEqual([]);
  });

  test('the same event delivered twice in one batch is recorded once and answered alike', async () => {
    const [, a, b] = await Promise.all([
      bot.say('log warm-up', { channel: 'inc-1' }),
      bot.say('log Failover started', { channel: 'inc-1', eventId: 'retried-1' }),
      bot.say('log Failover started', { channel: 'inc-1', eventId: 'retried-1' }),
    ]);
    expect(b).toBe(a);
    const { entries } = await bot.record(1);
    expect(entries.filter((e) => e.text === 'Failover started')).toHaveLength(1);
  });
});
