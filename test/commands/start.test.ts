import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

async function incidentRows(bot: TestBot) {
  const { rows } = await bot.firebell.db.query<{ id: number; title: string }>('select id, title from incidents order by id');
  return rows;
}

describe.each(backends)('start on $name', (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend);
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
  });

  test('a bare title opens INC-1 at SEV3, now, in UTC', async () => {
    expect(await bot.say('start Checkout API returning 502s')).toBe('INC-1 opened: Checkout API returning 502s · SEV3 · started 2026-03-01 23:10 UTC');
    expect((await bot.record(1)).incident).toMatchObject({
      title: 'Checkout API returning 502s',
      severity: 3,
      state: 'investigating',
      timeZone: 'UTC',
      startedAt: new Date('2026-03-01T23:10:00Z'),
      openedBy: 'dana',
    });
  });

  test('the timeline starts with an opened entry at the start time', async () => {
    await bot.say('start Checkout API returning 502s --sev 2 --at 22:55');
    const { entries } = await bot.record(1);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ id: 1, kind: 'opened', author: 'dana', text: 'Incident opened: Checkout API returning 502s (SEV2)' });
    expect(entries[0]!.occurredAt.toISOString()).toBe('2026-03-01T22:55:00.000Z');
  });

  test('--sev sets the severity, with or without the SEV prefix', async () => {
    expect(await bot.say('start Search is slow --sev 1')).toBe('INC-1 opened: Search is slow · SEV1 · started 2026-03-01 23:10 UTC');
    expect(await bot.say('start Queue backlog --sev sev4')).toBe('INC-2 opened: Queue backlog · SEV4 · started 2026-03-01 23:10 UTC');
  });

  test('--at backdates the start, quoted or not', async () => {
    expect(await bot.say('start Checkout down --at "2026-03-01 22:40"')).toBe('INC-1 opened: Checkout down · SEV3 · started 2026-03-01 22:40 UTC');
    expect(await bot.say('start Search down --at 2026-03-01 22:45')).toBe('INC-2 opened: Search down · SEV3 · started 2026-03-01 22:45 UTC');
    expect((await bot.record(2)).incident.title).toBe('Search down');
  });

  test('--at and --tz together read the time in that zone', async () => {
    expect(await bot.say('start Checkout down --sev 2 --at "2026-03-01 23:40" --tz Europe/Berlin')).toBe(
      'INC-1 opened: Checkout down · SEV2 · started 2026-03-01 23:40 Europe/Berlin (+01:00)',
    );
    expect((await bot.record(1)).incident.startedAt.toISOString()).toBe('2026-03-01T22:40:00.000Z');
  });

  test('--tz MST is a fixed offset, and the reply says which', async () => {
    expect(await bot.say('start Checkout down --tz MST')).toBe('INC-1 opened: Checkout down · SEV3 · started 2026-03-01 16:10 MST (UTC-07:00)');
    expect((await bot.record(1)).incident.timeZone).toBe('MST');
  });

  test('a title in quotes is taken without its quotes, even if it looks like an option', async () => {
    expect(await bot.say('start "Checkout --sev 1 is down" --sev 2')).toBe('INC-1 opened: Checkout --sev 1 is down · SEV2 · started 2026-03-01 23:10 UTC');
  });

  test('options may come before the title', async () => {
    expect(await bot.say('start --sev 2 Checkout down')).toBe('INC-1 opened: Checkout down · SEV2 · started 2026-03-01 23:10 UTC');
  });

  test('an unquoted --at with a zone after the time reads the time in that zone', async () => {
    expect(await bot.say('start Checkout down --at 2026-03-01 15:00 MST')).toBe(
      'INC-1 opened: Checkout down · SEV3 · started 2026-03-01 22:00 UTC (15:00 MST, UTC-07:00)',
    );
  });

  test('an --at in an abbreviation is shown as typed, with the offset the abbreviation meant', async () => {
    expect(await bot.say('start Checkout down --at "14:05 CST"')).toBe(
      'INC-1 opened: Checkout down · SEV3 · started 2026-03-01 20:05 UTC (14:05 CST, UTC-06:00)',
    );
    // In March London is on GMT; BST still means UTC+01:00.
    expect(await bot.say('start Search slow --at "22:05 BST" --tz Europe/London')).toBe(
      'INC-2 opened: Search slow · SEV3 · started 2026-03-01 21:05 Europe/London (+00:00; 22:05 BST, UTC+01:00)',
    );
    expect((await bot.record(1)).incident.startedAt.toISOString()).toBe('2026-03-01T20:05:00.000Z');
    expect((await bot.record(2)).incident.startedAt.toISOString()).toBe('2026-03-01T21:05:00.000Z');
  });

  describe('refuses bad input in one line and opens nothing', () => {
    test.each([
      ['start', '✗ missing title; usage: start <title> [--sev 1-4] [--at <time>] [--tz <zone>]'],
      ['start --sev 2', '✗ missing title; usage: start <title> [--sev 1-4] [--at <time>] [--tz <zone>]'],
      ['start Checkout down --sev 5', '✗ bad severity "5": use 1-4 (1 is the most severe)'],
      ['start Checkout down --sev x', '✗ bad severity "x": use 1-4 (1 is the most severe)'],
      ['start Checkout down --tz Mars/Olympus', '✗ unknown time zone "Mars/Olympus": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC'],
      ['start Checkout down --seb 2', '✗ unknown option --seb: start takes --sev, --at, --tz'],
      ['start Checkout down --sev 2 --sev 1', '✗ --sev is given twice'],
      ['start Checkout down --at', '✗ --at needs a value; usage: start <title> [--sev 1-4] [--at <time>] [--tz <zone>]'],
      ['start Checkout down --at 23:40', '✗ 23:40 is in the future (it is 23:10 UTC now)'],
      ['start Checkout down --at "2026-03-02 00:30"', '✗ 2026-03-02 00:30 is in the future (it is 2026-03-01 23:10 UTC now)'],
      ['start Checkout down --at 25:00', '✗ bad time "25:00": hours run 00-23'],
      ['start Checkout down --at 23:00 IST', '✗ ambiguous time zone abbreviation "IST": use an IANA name like Europe/Berlin or an offset like UTC+05:30'],
      ['start Checkout down --at "23:00 IST"', '✗ ambiguous time zone abbreviation "IST": use an IANA name like Europe/Berlin or an offset like UTC+05:30'],
      ['start Checkout down --at 2026-03-01 23:00 AST', '✗ ambiguous time zone abbreviation "AST": use an IANA name like Europe/Berlin or an offset like UTC+05:30'],
      ['start Checkout down --tz IST', '✗ ambiguous time zone abbreviation "IST": use an IANA name like Europe/Berlin or an offset like UTC+05:30'],
      ['start Checkout down --at 23:00 Europe/Berln', '✗ unknown time zone "Europe/Berln": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC'],
    ])('%s', async (command, error) => {
      expect(await bot.say(command)).toBe(error);
      expect(await incidentRows(bot)).toEqual([]);
      expect(await bot.say('list')).toBe('No incident is open.');
    });

    test('a title of 201 characters is refused with its length; 200 is accepted', async () => {
      expect(await bot.say(`start ${'x'.repeat(201)}`)).toBe('✗ title is too long (201 characters; the limit is 200)');
      expect(await incidentRows(bot)).toEqual([]);
      expect(await bot.say(`start ${'y'.repeat(200)}`)).toMatch(/^INC-1 opened: y{200} · SEV3 · /);
    });

    test('a title of 200 emoji is 200 characters and accepted; 201 are refused as 201', async () => {
      expect(await bot.say(`start ${'🔥'.repeat(201)}`)).toBe('✗ title is too long (201 characters; the limit is 200)');
      expect(await incidentRows(bot)).toEqual([]);
      expect(await bot.say(`start ${'🔥'.repeat(200)}`)).toMatch(/^INC-1 opened: (🔥){200} · SEV3 · /u);
    });
  });
});

describe.each(backends)('start with FIREBELL_TZ=America/Denver on $name', (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend, { env: { FIREBELL_TZ: 'America/Denver' } });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
  });

  test('an incident without --tz is shown in the configured zone', async () => {
    expect(await bot.say('start Checkout down')).toBe('INC-1 opened: Checkout down · SEV3 · started 2026-03-01 16:10 America/Denver (-07:00)');
    expect((await bot.record(1)).incident.timeZone).toBe('America/Denver');
  });

  test('a bare --at time is read in the configured zone', async () => {
    expect(await bot.say('start Checkout down --at 15:30')).toBe('INC-1 opened: Checkout down · SEV3 · started 2026-03-01 15:30 America/Denver (-07:00)');
    expect((await bot.record(1)).incident.startedAt.toISOString()).toBe('2026-03-01T22:30:00.000Z');
  });

  test('--tz overrides the configured zone', async () => {
    expect(await bot.say('start Checkout down --tz UTC')).toBe('INC-1 opened: Checkout down · SEV3 · started 2026-03-01 23:10 UTC');
  });
});
