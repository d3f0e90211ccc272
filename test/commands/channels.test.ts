import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { plainLines } from '../../src/chat/reply.ts';
import type { Invocation } from '../../src/chat/types.ts';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

const bot1 = { platform: 'slack', id: 'B0BOT', name: 'firebell' };

describe.each(backends)('channels linked through the core, on $name', (backend) => {
  let bot: TestBot;
  /** What an adapter sends once it has made (or found) an incident's channel. */
  const link = (platform: string, channelId: string, incidentId: number, eventId = `link-${platform}-${channelId}-${incidentId}`): Invocation => ({
    verb: 'link',
    text: '',
    payload: { incidentId },
    actor: { ...bot1, platform },
    channel: { platform, id: channelId },
    eventId,
    receivedAt: bot.clock.now(),
  });
  const send = async (inv: Invocation) => plainLines(await bot.firebell.router.dispatch(inv)).join('\n');

  beforeAll(async () => {
    bot = await startTestBot(backend, { now: '2026-03-01T23:10:00Z' });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    await bot.say('start Checkout down');
    await bot.say('start Search slow');
  });

  test('a linked channel is where its incident is, on each platform at once', async () => {
    expect(await send(link('slack', 'C0INC1', 1))).toBe('This channel now belongs to INC-1.');
    expect(await send(link('irc', '#inc-1-checkout-down', 1))).toBe('This channel now belongs to INC-1.');
    // Two incidents are open: without the link, this would be ambiguous.
    expect(await bot.say('log From Slack', { platform: 'slack', channel: 'C0INC1' })).toBe('Logged #3 on INC-1 at 2026-03-01 23:10 UTC');
    expect(await bot.say('log From IRC', { platform: 'irc', channel: '#inc-1-checkout-down' })).toBe('Logged #4 on INC-1 at 2026-03-01 23:10 UTC');
    const channels = bot.firebell.channels;
    expect(await channels.channelOf(1, 'slack')).toBe('C0INC1');
    expect(await channels.channelOf(1, 'irc')).toBe('#inc-1-checkout-down');
    expect(await channels.channelOf(2, 'irc')).toBeNull();
  });

  test('an adapter learns which open incidents still need a channel on its platform', async () => {
    await send(link('irc', '#inc-1-checkout-down', 1));
    await bot.say('close INC-2');
    await bot.say('start Payments failing');
    const open = await bot.firebell.channels.openIncidents('irc');
    expect(open.map((o) => [o.incident.id, o.channelId])).toEqual([
      [1, '#inc-1-checkout-down'],
      [3, null],
    ]);
  });

  test('linking is recorded once per event, and a new channel replaces the old one', async () => {
    await send(link('slack', 'C0OLD', 1, 'Ev1'));
    await send(link('slack', 'C0OLD', 1, 'Ev1'));
    await send(link('slack', 'C0NEW', 1));
    expect(await bot.firebell.channels.channelOf(1, 'slack')).toBe('C0NEW');
    expect(await bot.say('log In the old channel', { platform: 'slack', channel: 'C0OLD' })).toMatch(/^✗ 2 incidents are open/);
  });

  test('a link to an incident that does not exist is refused, and nothing changes', async () => {
    expect(await send(link('slack', 'C0X', 9))).toBe('INC-9 does not exist');
    expect(await bot.firebell.channels.openIncidents('slack')).toEqual([
      expect.objectContaining({ channelId: null }),
      expect.objectContaining({ channelId: null }),
    ]);
  });
});

const adminUrl = process.env.TEST_DATABASE_URL;

// PGlite runs one transaction at a time; on Postgres two channels' commands run side by side.
describe.skipIf(!adminUrl)('one incident changed from two channels at the same moment, on Postgres', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backends.find((b) => b.name === 'postgres')!, { now: '2026-03-01T23:10:00Z' });
    await bot.say('start Checkout down --sev 3');
  });
  afterAll(() => bot.stop());

  test('the second change sees the first: sev 1 from Slack and from IRC records one change', async () => {
    // Another session (another channel's command, another instance) holds INC-1 and raises it to SEV1.
    const other = new pg.Client({ connectionString: bot.settings.DATABASE_URL });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select id from incidents where id = 1 for update');
      const fromIrc = bot.say('sev 1', { platform: 'irc', channel: '#ops' });
      // Wait until the bot's transaction is queued behind the row lock, not sleeping on a guess.
      for (;;) {
        const { rows } = await other.query<{ n: number }>(
          `select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid)
           where not l.granted and a.datname = current_database()`,
        );
        if (rows[0]!.n > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await other.query('update incidents set severity = 1 where id = 1');
      await other.query('commit');
      expect(await fromIrc).toBe('✗ INC-1 is already SEV1');
    } finally {
      await other.end();
    }
    expect((await bot.record(1)).entries.filter((e) => e.kind === 'severity')).toEqual([]);
  });
});
