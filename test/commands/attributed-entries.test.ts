import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { plainLines } from '../../src/chat/reply.ts';
import type { Invocation } from '../../src/chat/types.ts';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

const dana = { platform: 'slack', id: 'U0DANA', name: 'dana' };
const erin = { platform: 'slack', id: 'U0ERIN', name: 'erin' };

describe.each(backends)('commands an adapter builds from what was not typed, on $name', (backend) => {
  let bot: TestBot;
  /** Dana pins a message Erin wrote at 23:02 (what Slack's reaction capture will send). */
  const pin = (overrides: Partial<Invocation> = {}): Invocation => ({
    verb: 'log',
    text: '',
    payload: { text: '14:05 Replica is 40 minutes behind' },
    actor: dana,
    attribution: { author: erin, at: new Date('2026-03-01T23:02:00Z') },
    channel: { platform: 'slack', id: 'C0INC1' },
    eventId: 'Ev001',
    idempotencyKey: 'pin:C0INC1:1772406120.000100',
    receivedAt: bot.clock.now(),
    ...overrides,
  });
  const send = async (inv: Invocation) => plainLines(await bot.firebell.router.dispatch(inv)).join('\n');

  beforeAll(async () => {
    bot = await startTestBot(backend, { now: '2026-03-01T23:10:00Z' });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
    await bot.say('start Replica lag --at 23:00 --tz UTC', { platform: 'slack', as: 'dana', id: 'U0DANA' });
  });

  test("someone else's message lands at its own time, by its author, saying who added it", async () => {
    expect(await send(pin())).toBe('Logged #2 on INC-1 at 2026-03-01 23:02 UTC');
    const entry = (await bot.record(1)).entries.find((e) => e.id === 2)!;
    expect(entry).toMatchObject({
      occurredAt: new Date('2026-03-01T23:02:00Z'),
      recordedAt: new Date('2026-03-01T23:10:00Z'),
      author: 'erin',
      authorId: 'slack:U0ERIN',
      addedBy: 'dana',
      addedById: 'slack:U0DANA',
      // Taken as written: a time at its start is part of the message, not a backdate.
      text: '14:05 Replica is 40 minutes behind',
    });
  });

  test('the same message pinned twice (two reactions, two deliveries) is one entry', async () => {
    await send(pin());
    expect(await send(pin({ eventId: 'Ev002', actor: { platform: 'slack', id: 'U0SAM', name: 'sam' } }))).toBe(
      'Logged #2 on INC-1 at 2026-03-01 23:02 UTC',
    );
    expect((await bot.record(1)).entries.filter((e) => e.kind === 'note')).toHaveLength(1);
  });

  test('a verb that takes no payload refuses one, and an adapter-only verb cannot be typed', async () => {
    expect(await send(pin({ verb: 'sev', payload: { level: 1 } }))).toBe('sev takes typed text only');
    expect(await bot.say('link 1')).toBe('✗ unknown command "link": try `help`');
    expect(await send(pin({ payload: { text: '' } }))).toMatch(/^log: /);
    expect((await bot.record(1)).entries).toHaveLength(1);
  });
});
