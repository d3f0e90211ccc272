import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

describe.each(backends)('log and typed entries on $name', (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend);
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    // 00:10 in Berlin, just after midnight.
    bot.clock.set('2026-03-01T23:10:00Z');
    await bot.say('start Checkout API returning 502s --sev 2 --at "2026-03-01 23:40" --tz Europe/Berlin');
  });

  test('a log without a time is recorded now, in the incident zone', async () => {
    expect(await bot.say('log Paged the database team')).toBe('Logged #2 on INC-1 at 2026-03-02 00:10 Europe/Berlin (+01:00)');
    const { entries } = await bot.record(1);
    expect(entries.at(-1)).toMatchObject({ kind: 'note', text: 'Paged the database team', author: 'dana' });
    expect(entries.at(-1)!.occurredAt.toISOString()).toBe('2026-03-01T23:10:00.000Z');
  });

  test('a bare 23:52 after a 23:40 start stays on the start day', async () => {
    expect(await bot.say('log 23:52 Rolled back release 4812')).toBe('Logged #2 on INC-1 at 2026-03-01 23:52 Europe/Berlin (+01:00)');
  });

  test('a time typed in another zone is shown as typed too, with the offset that zone meant', async () => {
    expect(await bot.say('log 15:50 MST Deploy paused')).toBe('Logged #2 on INC-1 at 2026-03-01 23:50 Europe/Berlin (+01:00; 15:50 MST, UTC-07:00)');
    expect(await bot.say('action 2026-03-01 22:55 UTC Failed over')).toBe(
      'Logged action #3 on INC-1 at 2026-03-01 23:55 Europe/Berlin (+01:00; 22:55 UTC)',
    );
    expect(await bot.say('log 2026-03-01 17:05 CST Rolled back')).toBe(
      'Logged #4 on INC-1 at 2026-03-02 00:05 Europe/Berlin (+01:00; 2026-03-01 17:05 CST, UTC-06:00)',
    );
    expect(await bot.say('log 23:59 Europe/Berlin same zone, nothing to add')).toBe('Logged #5 on INC-1 at 2026-03-01 23:59 Europe/Berlin (+01:00)');
    const { entries } = await bot.record(1);
    expect(entries.slice(1).map((e) => [e.id, e.occurredAt.toISOString(), e.text]).sort()).toEqual([
      [2, '2026-03-01T22:50:00.000Z', 'Deploy paused'],
      [3, '2026-03-01T22:55:00.000Z', 'Failed over'],
      [4, '2026-03-01T23:05:00.000Z', 'Rolled back'],
      [5, '2026-03-01T22:59:00.000Z', 'same zone, nothing to add'],
    ]);
  });

  test('a bare 00:05 typed after 23:52 lands on the next day', async () => {
    await bot.say('log 23:52 Rolled back release 4812');
    expect(await bot.say('log 00:05 Error rate falling')).toBe('Logged #3 on INC-1 at 2026-03-02 00:05 Europe/Berlin (+01:00)');
  });

  test('typed verbs record their kind', async () => {
    for (const kind of ['detected', 'action', 'decision', 'impact', 'cause']) {
      expect(await bot.say(`${kind} 23:45 something ${kind}`)).toMatch(new RegExp(`^Logged ${kind} #\\d+ on INC-1 at 2026-03-01 23:45`));
    }
    const { entries } = await bot.record(1);
    expect(entries.map((e) => e.kind)).toEqual(['opened', 'detected', 'action', 'decision', 'impact', 'cause']);
  });

  test('note is log under another name', async () => {
    await bot.say('note checking dashboards');
    expect((await bot.record(1)).entries.at(-1)).toMatchObject({ kind: 'note', text: 'checking dashboards' });
  });

  test('text keeps its quotes, spacing and dashes exactly as typed', async () => {
    await bot.say('log ran `kubectl rollout undo`  --to-revision=3 "just in case"');
    expect((await bot.record(1)).entries.at(-1)!.text).toBe('ran `kubectl rollout undo`  --to-revision=3 "just in case"');
  });

  test('a full date and an ISO time with an offset backdate the entry', async () => {
    await bot.say('log 2026-03-01 23:59 full date');
    await bot.say('log 2026-03-01T22:58:00Z iso');
    const texts = (await bot.record(1)).entries.map((e) => [e.occurredAt.toISOString(), e.text]);
    expect(texts).toContainEqual(['2026-03-01T22:59:00.000Z', 'full date']);
    expect(texts).toContainEqual(['2026-03-01T22:58:00.000Z', 'iso']);
  });

  test('a time in the future is refused and nothing is recorded', async () => {
    expect(await bot.say('log 00:30 not yet')).toBe('✗ 00:30 is in the future (it is 00:10 Europe/Berlin now)');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });

  test('an impossible time gets a one-line error and records nothing', async () => {
    expect(await bot.say('log 25:00 nope')).toBe('✗ bad time "25:00": hours run 00-23');
    expect(await bot.say('log 2008-02-30 10:00 nope')).toBe('✗ bad date "2008-02-30": February 2008 has 29 days');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });

  test('a year before 1900 is refused in one line, and nothing is recorded', async () => {
    expect(await bot.say('log 0000-06-01 00:00 x')).toBe('✗ bad date "0000-06-01": the year must be 1900 or later');
    expect(await bot.say('log 0099-01-01T00:00Z x')).toBe('✗ bad date "0099-01-01": the year must be 1900 or later');
    expect(await bot.say('start Old --at "1899-12-31 23:00"')).toBe('✗ bad date "1899-12-31": the year must be 1900 or later');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });

  test('a time followed by an ambiguous zone abbreviation is refused, not logged as text', async () => {
    expect(await bot.say('log 23:50 IST deploy')).toBe('✗ ambiguous time zone abbreviation "IST": use an IANA name like Europe/Berlin or an offset like UTC+05:30');
    expect(await bot.say('action 2026-03-01 23:50 SST failed over')).toBe('✗ ambiguous time zone abbreviation "SST": use an IANA name like Europe/Berlin or an offset like UTC+05:30');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });

  test('ordinary words after a time stay text, even one that is an abbreviation in lower case', async () => {
    expect(await bot.say('log 23:50 is when it broke')).toBe('Logged #2 on INC-1 at 2026-03-01 23:50 Europe/Berlin (+01:00)');
    expect(await bot.say('log 23:55 ist kaputt')).toBe('Logged #3 on INC-1 at 2026-03-01 23:55 Europe/Berlin (+01:00)');
    expect((await bot.record(1)).entries.slice(1).map((e) => e.text)).toEqual(['is when it broke', 'ist kaputt']);
  });

  test('an entry with a time but no text is refused', async () => {
    expect(await bot.say('log 23:50')).toBe('✗ missing text; usage: log [<time>] <text>');
  });

  test('text over 4,000 characters is refused with its length', async () => {
    expect(await bot.say(`log ${'x'.repeat(4_001)}`)).toBe('✗ text is too long (4,001 characters; the limit is 4,000)');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });
});
