import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

describe.each(backends)('status, sev and role on $name', (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend);
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
    await bot.say('start Checkout API returning 502s --sev 2 --at 23:00');
  });

  describe('status', () => {
    test.each(['investigating', 'identified', 'monitoring', 'resolved'])('%s becomes the incident state', async (state) => {
      expect(await bot.say(`status ${state} We are on it`)).toBe(`INC-1 status is now ${state}: We are on it`);
      expect((await bot.record(1)).incident.state).toBe(state);
    });

    test('an update is stored and recorded on the timeline', async () => {
      await bot.say('status identified A bad deploy of the checkout service; rolling back');
      const { statusUpdates, entries } = await bot.record(1);
      expect(statusUpdates).toEqual([
        expect.objectContaining({ state: 'identified', message: 'A bad deploy of the checkout service; rolling back', author: 'dana' }),
      ]);
      expect(entries.at(-1)).toMatchObject({ kind: 'status', text: 'Status identified: A bad deploy of the checkout service; rolling back' });
    });

    test('the state is case-insensitive', async () => {
      expect(await bot.say('status Monitoring Error rate back to normal')).toBe('INC-1 status is now monitoring: Error rate back to normal');
    });

    test('status resolved marks the incident resolved at that moment', async () => {
      bot.clock.advance('5m');
      await bot.say('status resolved Fixed');
      expect((await bot.record(1)).incident.resolvedAt?.toISOString()).toBe('2026-03-01T23:15:00.000Z');
    });

    test('a second resolved update keeps the time the incident was resolved', async () => {
      await bot.say('resolve 23:05 Fixed by rolling back');
      bot.clock.set('2026-03-01T23:30:00Z');
      expect(await bot.say('status resolved Final update: all clear')).toBe('INC-1 status is now resolved: Final update: all clear');
      expect((await bot.record(1)).incident.resolvedAt?.toISOString()).toBe('2026-03-01T23:05:00.000Z');
    });

    test('an unknown state is refused with the four it takes', async () => {
      expect(await bot.say('status fixed All good')).toBe('✗ bad status "fixed": use investigating, identified, monitoring or resolved');
      expect((await bot.record(1)).statusUpdates).toEqual([]);
    });

    test('a state without a message is refused', async () => {
      expect(await bot.say('status monitoring')).toBe(
        '✗ missing message; usage: status <investigating|identified|monitoring|resolved> <public message>',
      );
      expect(await bot.say('status')).toBe('✗ missing state; usage: status <investigating|identified|monitoring|resolved> <public message>');
      expect((await bot.record(1)).entries).toHaveLength(1);
    });
  });

  describe('sev', () => {
    test('a change is recorded on the timeline with both levels', async () => {
      expect(await bot.say('sev 1')).toBe('INC-1 is now SEV1');
      const { incident, entries } = await bot.record(1);
      expect(incident.severity).toBe(1);
      expect(entries.at(-1)).toMatchObject({ kind: 'severity', author: 'dana', text: 'Severity changed from SEV2 to SEV1' });
    });

    test('SEV3 written with its prefix is accepted', async () => {
      expect(await bot.say('sev SEV3')).toBe('INC-1 is now SEV3');
    });

    test('the level it already has is refused', async () => {
      expect(await bot.say('sev 2')).toBe('✗ INC-1 is already SEV2');
      expect((await bot.record(1)).entries).toHaveLength(1);
    });

    test('a level outside 1-4 or a missing one is refused', async () => {
      expect(await bot.say('sev 0')).toBe('✗ bad severity "0": use 1-4 (1 is the most severe)');
      expect(await bot.say('sev high')).toBe('✗ bad severity "high": use 1-4 (1 is the most severe)');
      expect(await bot.say('sev')).toBe('✗ missing level; usage: sev <1-4>');
      expect((await bot.record(1)).incident.severity).toBe(2);
    });
  });

  describe('role', () => {
    test.each(['commander', 'comms', 'scribe'])('%s is assigned and recorded', async (role) => {
      expect(await bot.say(`role ${role} sam`)).toBe(`sam is ${role} of INC-1`);
      const { roles, entries } = await bot.record(1);
      expect(roles).toEqual([expect.objectContaining({ role, holder: 'sam', assignedBy: 'dana' })]);
      expect(entries.at(-1)).toMatchObject({ kind: 'role', text: `sam is ${role}` });
    });

    test('lead means commander, and an @ before the name is dropped', async () => {
      expect(await bot.say('role lead @dana')).toBe('dana is commander of INC-1');
      expect((await bot.record(1)).roles).toEqual([expect.objectContaining({ role: 'commander', holder: 'dana' })]);
    });

    test('a new holder replaces the old one', async () => {
      await bot.say('role commander sam');
      await bot.say('role commander kim');
      expect((await bot.record(1)).roles.map((r) => `${r.role}: ${r.holder}`)).toEqual(['commander: kim']);
    });

    test('an unknown role, a missing user or a second user is refused', async () => {
      expect(await bot.say('role boss sam')).toBe('✗ bad role "boss": use commander, comms or scribe');
      expect(await bot.say('role commander')).toBe('✗ missing user; usage: role <commander|comms|scribe> <user>');
      expect(await bot.say('role comms sam kim')).toBe('✗ unexpected "kim"; usage: role <commander|comms|scribe> <user>');
      expect((await bot.record(1)).roles).toEqual([]);
    });
  });

  describe('on a closed incident', () => {
    beforeEach(async () => {
      await bot.say('close');
    });

    test.each([
      ['status INC-1 monitoring Still watching'],
      ['sev INC-1 1'],
      ['role INC-1 commander sam'],
    ])('%s is refused', async (command) => {
      expect(await bot.say(command)).toBe('✗ INC-1 is closed; only timeline entries and follow-ups can still be added');
      const { incident, roles, statusUpdates, entries } = await bot.record(1);
      expect(incident).toMatchObject({ severity: 2, state: 'investigating' });
      expect(roles).toEqual([]);
      expect(statusUpdates).toEqual([]);
      expect(entries.map((e) => e.kind)).toEqual(['opened', 'closed']);
    });
  });
});
