import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

describe.each(backends)('people recorded by id as well as name, on $name', (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend, { now: '2026-03-01T23:10:00Z' });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    await bot.say('start Checkout down', { platform: 'slack', as: 'dana', id: 'U0DANA' });
  });

  test('the opener and every author are kept with their platform id', async () => {
    await bot.say('log Rolled back', { platform: 'slack', as: 'dana', id: 'U0DANA' });
    await bot.say('log Confirmed on the canary', { platform: 'irc', as: 'Sam' });
    const { incident, entries } = await bot.record(1);
    expect([incident.openedBy, incident.openedById]).toEqual(['dana', 'slack:U0DANA']);
    expect(entries.map((e) => [e.author, e.authorId])).toEqual([
      ['dana', 'slack:U0DANA'],
      ['dana', 'slack:U0DANA'],
      ['Sam', 'irc:Sam'],
    ]);
  });

  test("a role takes Slack's mention forms, and keeps the user id", async () => {
    expect(await bot.say('role commander <@U123ABC|erin>', { platform: 'slack' })).toBe('erin is commander of INC-1');
    expect(await bot.say('role scribe <@U456DEF>', { platform: 'slack' })).toBe('U456DEF is scribe of INC-1');
    const { roles } = await bot.record(1);
    expect(roles.map((r) => [r.role, r.holder, r.holderId, r.assignedById])).toEqual([
      ['commander', 'erin', 'slack:U123ABC', 'slack:dana'],
      ['scribe', 'U456DEF', 'slack:U456DEF', 'slack:dana'],
    ]);
  });

  test('an IRC nick is one person whatever its case', async () => {
    expect(await bot.say('role comms Sam', { platform: 'irc', as: 'Erin' })).toBe('Sam is comms of INC-1');
    expect((await bot.record(1)).roles[0]).toMatchObject({ holder: 'Sam', holderId: 'irc:sam', assignedBy: 'Erin', assignedById: 'irc:Erin' });
  });

  test('a follow-up owner may be a mention', async () => {
    expect(await bot.say('followup Add a canary --owner <@U123ABC|erin>', { platform: 'slack' })).toBe('Follow-up F-1 added to INC-1 (owner erin)');
    expect((await bot.record(1)).followups[0]).toMatchObject({ owner: 'erin', ownerId: 'slack:U123ABC', createdById: 'slack:dana' });
  });

  test('a person argument that is not one person is refused, and nothing is recorded', async () => {
    expect(await bot.say('role commander <!channel>')).toBe('✗ bad user "<!channel>": one name, e.g. dana or @dana');
    expect(await bot.say('followup Add a canary --owner a|b')).toBe('✗ bad owner "a|b": one name, e.g. dana or @dana');
    const { roles, followups } = await bot.record(1);
    expect([roles, followups]).toEqual([[], []]);
  });
});
