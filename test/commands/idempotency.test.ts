import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

describe.each(backends)('a retried chat event on $name', (backend) => {
  let bot: TestBot;
  const count = async (table: string) => {
    const { rows } = await bot.firebell.db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    return rows[0]!.n;
  };
  beforeAll(async () => {
    bot = await startTestBot(backend);
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
  });

  test('start delivered twice opens one incident and answers the same both times', async () => {
    const first = await bot.say('start Checkout API returning 502s', { eventId: 'Ev1' });
    bot.clock.advance('30s');
    expect(await bot.say('start Checkout API returning 502s', { eventId: 'Ev1' })).toBe(first);
    expect(first).toBe('INC-1 opened: Checkout API returning 502s · SEV3 · started 2026-03-01 23:10 UTC');
    expect(await count('incidents')).toBe(1);
    expect(await count('timeline_entries')).toBe(1);
  });

  describe('on an open incident', () => {
    beforeEach(async () => {
      await bot.say('start Checkout API returning 502s --at 23:00');
    });

    test('log delivered twice records one entry', async () => {
      expect(await bot.say('log Paged the database team', { eventId: 'Ev1' })).toBe('Logged #2 on INC-1 at 2026-03-01 23:10 UTC');
      bot.clock.advance('1m');
      expect(await bot.say('log Paged the database team', { eventId: 'Ev1' })).toBe('Logged #2 on INC-1 at 2026-03-01 23:10 UTC');
      expect((await bot.record(1)).entries.map((e) => e.text)).toEqual(['Incident opened: Checkout API returning 502s (SEV3)', 'Paged the database team']);
    });

    test('status delivered twice posts one update', async () => {
      expect(await bot.say('status identified Bad deploy', { eventId: 'Ev1' })).toBe('INC-1 status is now identified: Bad deploy');
      expect(await bot.say('status identified Bad deploy', { eventId: 'Ev1' })).toBe('INC-1 status is now identified: Bad deploy');
      const { statusUpdates, entries } = await bot.record(1);
      expect(statusUpdates).toHaveLength(1);
      expect(entries.filter((e) => e.kind === 'status')).toHaveLength(1);
    });

    test('followup delivered twice adds one action item', async () => {
      expect(await bot.say('followup Alert on the 502 rate --owner sam', { eventId: 'Ev1' })).toBe('Follow-up F-1 added to INC-1 (owner sam)');
      expect(await bot.say('followup Alert on the 502 rate --owner sam', { eventId: 'Ev1' })).toBe('Follow-up F-1 added to INC-1 (owner sam)');
      expect((await bot.record(1)).followups).toHaveLength(1);
    });

    test('the same text under a different event id is recorded twice', async () => {
      expect(await bot.say('log Paged the database team', { eventId: 'Ev1' })).toBe('Logged #2 on INC-1 at 2026-03-01 23:10 UTC');
      expect(await bot.say('log Paged the database team', { eventId: 'Ev2' })).toBe('Logged #3 on INC-1 at 2026-03-01 23:10 UTC');
      expect((await bot.record(1)).entries).toHaveLength(3);
    });

    test('the same event id from another platform is another event', async () => {
      await bot.say('log Paged the database team', { eventId: 'Ev1', platform: 'slack' });
      expect(await bot.say('log Paged the database team', { eventId: 'Ev1', platform: 'irc' })).toBe('Logged #3 on INC-1 at 2026-03-01 23:10 UTC');
    });

    test('a refused command records nothing, and the corrected one under a new id is recorded', async () => {
      expect(await bot.say('log 25:00 Rolled back release 4812', { eventId: 'Ev1' })).toBe('✗ bad time "25:00": hours run 00-23');
      expect(await bot.say('log 23:05 Rolled back release 4812', { eventId: 'Ev2' })).toBe('Logged #2 on INC-1 at 2026-03-01 23:05 UTC');
      expect((await bot.record(1)).entries.map((e) => e.text)).toEqual(['Incident opened: Checkout API returning 502s (SEV3)', 'Rolled back release 4812']);
      expect(await count('processed_events')).toBe(2);
    });
  });
});
