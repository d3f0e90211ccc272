import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

describe.each(backends)('followup, resolve and close on $name', (backend) => {
  let bot: TestBot;
  const draftPath = (id: number) => join(bot.settings.DATA_DIR, 'postmortems', `INC-${id}.md`);
  const readDraft = (id: number) => bot.draft(id);
  beforeAll(async () => {
    bot = await startTestBot(backend);
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    // Drafts outlive the tables; a draft left by an earlier test must not pass for this one's.
    await rm(join(bot.settings.DATA_DIR, 'postmortems'), { recursive: true, force: true });
    bot.clock.set('2026-03-01T23:10:00Z');
    await bot.say('start Checkout API returning 502s --sev 2 --at 23:00');
  });

  describe('followup', () => {
    test('an action item takes an owner and a due date', async () => {
      expect(await bot.say('followup Alert on the 502 rate --owner @sam --due 2026-03-20')).toBe('Follow-up F-1 added to INC-1 (owner sam, due 2026-03-20)');
      expect((await bot.record(1)).followups).toEqual([
        expect.objectContaining({ id: 1, text: 'Alert on the 502 rate', owner: 'sam', dueOn: '2026-03-20', createdBy: 'dana' }),
      ]);
    });

    test('todo is followup under another name, owner and due date optional', async () => {
      expect(await bot.say('todo Write a rollback runbook')).toBe('Follow-up F-1 added to INC-1 (no owner yet)');
      expect((await bot.record(1)).followups).toEqual([expect.objectContaining({ text: 'Write a rollback runbook', owner: null, dueOn: null })]);
    });

    test.each([
      ['followup Alert on 502s --due 2026-02-30', '✗ bad due date "2026-02-30": February 2026 has 28 days'],
      ['followup Alert on 502s --due tomorrow', '✗ bad due date "tomorrow": use YYYY-MM-DD'],
      ['followup Alert on 502s --due 0000-01-01', '✗ bad due date "0000-01-01": the year must be 1900 or later'],
      ['followup --owner sam', '✗ missing text; usage: followup <text> [--owner <user>] [--due <YYYY-MM-DD>]'],
    ])('%s is refused and adds nothing', async (command, error) => {
      expect(await bot.say(command)).toBe(error);
      expect((await bot.record(1)).followups).toEqual([]);
    });
  });

  describe('followup done', () => {
    test('marks an action item done, by whom and when, and the draft says so', async () => {
      await bot.say('followup Alert on the 502 rate --owner @sam --due 2026-03-20');
      await bot.say('todo Write a rollback runbook');
      bot.clock.set('2026-03-01T23:20:00Z');
      expect(await bot.say('followup done F-1', { as: 'sam' })).toBe('Follow-up F-1 of INC-1 is done: Alert on the 502 rate');
      expect((await bot.record(1)).followups.map((f) => [f.id, f.doneAt?.toISOString() ?? null, f.doneBy])).toEqual([
        [1, '2026-03-01T23:20:00.000Z', 'sam'],
        [2, null, null],
      ]);
      const draft = await bot.say('postmortem');
      expect(draft).toContain('| F-1 | Alert on the 502 rate | sam | 2026-03-20 | done by sam, 2026-03-01 23:20 |');
      expect(draft).toContain('| F-2 | Write a rollback runbook | — | — | open |');
    });

    test('todo done takes the F-number in any usual spelling', async () => {
      await bot.say('todo Write a rollback runbook');
      expect(await bot.say('todo done f1')).toBe('Follow-up F-1 of INC-1 is done: Write a rollback runbook');
    });

    test('an item may begin with the word done when no F-number follows it', async () => {
      expect(await bot.say('followup done-state alerts for the queue')).toBe('Follow-up F-1 added to INC-1 (no owner yet)');
      expect(await bot.say('followup done right: page on replica lag')).toBe('Follow-up F-2 added to INC-1 (no owner yet)');
      expect((await bot.record(1)).followups.map((f) => [f.text, f.doneAt])).toEqual([
        ['done-state alerts for the queue', null],
        ['done right: page on replica lag', null],
      ]);
    });

    test.each([
      ['followup done F-9', '✗ F-9 does not exist: the postmortem\'s action items list them'],
      ['followup done', '✗ which follow-up? followup done <F-n>, e.g. followup done F-2'],
      ['followup done F-1 F-2', '✗ one follow-up at a time; usage: followup done <F-n>'],
      ['followup done F1x', '✗ bad follow-up "F1x": use the F-number it was added as, e.g. F-2'],
      ['followup done F-1 --owner sam', '✗ --owner and --due are for a new follow-up; usage: followup done <F-n>'],
    ])('%s is refused and changes nothing', async (command, error) => {
      await bot.say('followup Alert on the 502 rate');
      expect(await bot.say(command)).toBe(error);
      expect((await bot.record(1)).followups.map((f) => [f.text, f.doneAt])).toEqual([['Alert on the 502 rate', null]]);
    });

    test('done twice is refused, saying who marked it and when', async () => {
      await bot.say('followup Alert on the 502 rate');
      await bot.say('followup done F-1', { as: 'sam' });
      bot.clock.set('2026-03-01T23:30:00Z');
      expect(await bot.say('followup done F-1')).toBe('✗ F-1 is already done (by sam, 2026-03-01 23:10 UTC)');
      expect((await bot.record(1)).followups[0]).toMatchObject({ doneBy: 'sam', doneAt: new Date('2026-03-01T23:10:00Z') });
    });

    test('a follow-up of another incident is refused, naming the command that would mark it', async () => {
      await bot.say('followup Alert on the 502 rate');
      await bot.say('start Search results stale', { channel: 'search' });
      expect(await bot.say('followup INC-2 done F-1')).toBe('✗ F-1 is a follow-up of INC-1, not INC-2: `followup INC-1 done F-1`');
      expect((await bot.record(1)).followups[0]!.doneAt).toBeNull();
    });

    test('marking one done after the incident closed rewrites the draft', async () => {
      await bot.say('followup Alert on the 502 rate --owner sam');
      await bot.say('close');
      expect(await readDraft(1)).toContain('| F-1 | Alert on the 502 rate | sam | — | open |');
      bot.clock.set('2026-03-08T09:00:00Z');
      expect(await bot.say('followup INC-1 done F-1', { as: 'sam' })).toBe('Follow-up F-1 of INC-1 is done: Alert on the 502 rate');
      expect(await readDraft(1)).toContain('| F-1 | Alert on the 502 rate | sam | — | done by sam, 2026-03-08 09:00 |');
    });
  });

  describe('resolve', () => {
    test('without a time or message it resolves now with the default public message', async () => {
      expect(await bot.say('resolve')).toBe(
        'INC-1 resolved at 2026-03-01 23:10 UTC. `close` it when the follow-ups are in, to export the postmortem draft.',
      );
      const { incident, statusUpdates } = await bot.record(1);
      expect(incident).toMatchObject({ state: 'resolved', resolvedAt: new Date('2026-03-01T23:10:00Z') });
      expect(statusUpdates.at(-1)).toMatchObject({ state: 'resolved', message: 'This incident has been resolved.' });
    });

    test('a leading time backdates it and the rest is the public message', async () => {
      expect(await bot.say('resolve 23:05 Checkout is working normally again')).toMatch(/^INC-1 resolved at 2026-03-01 23:05 UTC\. /);
      const { incident, statusUpdates } = await bot.record(1);
      expect(incident.resolvedAt?.toISOString()).toBe('2026-03-01T23:05:00.000Z');
      expect(statusUpdates.at(-1)).toMatchObject({ state: 'resolved', message: 'Checkout is working normally again' });
    });

    test('a time alone backdates it with the default message', async () => {
      await bot.say('resolve 23:05');
      expect((await bot.record(1)).statusUpdates.at(-1)).toMatchObject({ message: 'This incident has been resolved.' });
      expect((await bot.record(1)).entries.at(-1)).toMatchObject({ kind: 'status', text: 'Status resolved: This incident has been resolved.' });
    });

    test('a time in an abbreviation is shown as typed, with the offset it meant', async () => {
      expect(await bot.say('resolve 17:05 CST Fixed')).toBe(
        'INC-1 resolved at 2026-03-01 23:05 UTC (17:05 CST, UTC-06:00). `close` it when the follow-ups are in, to export the postmortem draft.',
      );
      expect((await bot.record(1)).incident.resolvedAt?.toISOString()).toBe('2026-03-01T23:05:00.000Z');
    });

    test('a message alone resolves it now', async () => {
      await bot.say('resolve Checkout is working normally again');
      const { incident, statusUpdates } = await bot.record(1);
      expect(incident.resolvedAt?.toISOString()).toBe('2026-03-01T23:10:00.000Z');
      expect(statusUpdates.at(-1)).toMatchObject({ message: 'Checkout is working normally again' });
    });

    test('resolving twice is refused', async () => {
      await bot.say('resolve');
      expect(await bot.say('resolve 23:08 again')).toBe('✗ INC-1 is already resolved; `close` it to export the postmortem');
      expect((await bot.record(1)).statusUpdates).toHaveLength(1);
    });

    test('a time in the future is refused', async () => {
      expect(await bot.say('resolve 23:30 Fixed')).toBe('✗ 23:30 is in the future (it is 23:10 UTC now)');
      expect((await bot.record(1)).incident.resolvedAt).toBeNull();
    });

    test('a time followed by an ambiguous zone abbreviation is refused', async () => {
      expect(await bot.say('resolve 23:05 IST Fixed')).toBe('✗ ambiguous time zone abbreviation "IST": use an IANA name like Europe/Berlin or an offset like UTC+05:30');
      expect((await bot.record(1)).incident.resolvedAt).toBeNull();
    });

    test('a resolve time before the incident started is refused', async () => {
      expect(await bot.say('resolve 22:30 Fixed')).toMatch(/^✗ /);
      expect((await bot.record(1)).incident.resolvedAt).toBeNull();
    });
  });

  describe('close', () => {
    test('closing writes the postmortem draft to DATA_DIR/postmortems/INC-n.md', async () => {
      await bot.say('resolve 23:05 Rolled back');
      bot.clock.set('2026-03-01T23:30:00Z');
      expect(await bot.say('close')).toBe(`INC-1 closed after 5m.\nPostmortem draft: ${draftPath(1)}`);
      const draft = await readDraft(1);
      expect(draft.split('\n')[0]).toBe('# INC-1: Checkout API returning 502s');
      expect(draft).toContain(
        'On Sunday 1 March 2026, between 23:00 and 23:05 (UTC), Checkout API returning 502s. Severity 2; 5m from start to resolution. Status: closed.',
      );
      expect(draft).toContain('| 23:30 | closed | Incident closed | dana |');
    });

    test('closing an unresolved incident says the draft counts until now', async () => {
      bot.clock.set('2026-03-01T23:30:00Z');
      expect(await bot.say('close')).toBe(
        `INC-1 closed after 30m.\nIt was never marked resolved, so the draft counts until now.\nPostmortem draft: ${draftPath(1)}`,
      );
      expect((await bot.record(1)).incident.closedAt?.toISOString()).toBe('2026-03-01T23:30:00.000Z');
    });

    test('closing twice is refused', async () => {
      await bot.say('close');
      expect(await bot.say('close INC-1')).toBe('✗ INC-1 is closed; only timeline entries and follow-ups can still be added');
      expect((await bot.record(1)).entries.filter((e) => e.kind === 'closed')).toHaveLength(1);
    });

    test('a timeline entry for a closed incident, named by INC-n, is recorded and rewrites the draft', async () => {
      await bot.say('close');
      bot.clock.set('2026-03-01T23:40:00Z');
      expect(await bot.say('log INC-1 Customer emails confirm the recovery')).toBe('Logged #3 on INC-1 at 2026-03-01 23:40 UTC');
      const draft = await readDraft(1);
      expect(draft).toContain('generated by firebell from the incident record at 2026-03-01 23:40 UTC.');
      expect(draft).toContain('| 23:40 | note | Customer emails confirm the recovery | dana |');
    });

    test('a follow-up for a closed incident rewrites the draft\'s action items', async () => {
      await bot.say('close');
      expect(await bot.say('followup INC-1 Alert on the 502 rate --owner sam')).toBe('Follow-up F-1 added to INC-1 (owner sam)');
      expect(await readDraft(1)).toContain('| F-1 | Alert on the 502 rate | sam | — |');
    });
  });
});
