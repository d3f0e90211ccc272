import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { verbs } from '../../commands/index.ts';
import { MAX_ATTACHED_DRAFT_BYTES } from '../../commands/postmortem.ts';
import { plainLines } from '../../src/chat/reply.ts';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { ShellSession } from '../support/shell-session.ts';


/** The attachment a reply printed after its first line and a blank one. */
function attachmentOf(reply: string): string {
  return reply.slice(reply.indexOf('\n\n') + 2);
}

describe.each(backends)('show, list, help and postmortem on $name', (backend) => {
  let bot: TestBot;
  const terminal = new ShellSession();
  beforeAll(async () => {
    bot = await startTestBot(backend, { shell: { input: terminal.input, output: terminal.output } });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
    await bot.say('start Checkout API returning 502s --sev 2 --at 23:00');
  });

  describe('show', () => {
    test('summarises state, roles, the last public update and the last five entries with their ids', async () => {
      await bot.say('log 23:01 Paged the database team');
      await bot.say('action 23:02 Rolled back release 4812');
      await bot.say('status identified Bad deploy; rolling back');
      await bot.say('role lead sam');
      await bot.say('role comms kim');
      expect(await bot.say('show')).toBe(
        [
          'INC-1 · SEV2 · identified · open 10m Checkout API returning 502s',
          'started 2026-03-01 23:00 UTC · 6 timeline entries · 0 follow-ups',
          'commander: sam · comms: kim',
          'Last public update (identified, 2026-03-01 23:10): Bad deploy; rolling back',
          '#2 2026-03-01 23:01 note · dana: Paged the database team',
          '#3 2026-03-01 23:02 action · dana: Rolled back release 4812',
          '#4 2026-03-01 23:10 status · dana: Status identified: Bad deploy; rolling back',
          '#5 2026-03-01 23:10 role · dana: sam is commander',
          '#6 2026-03-01 23:10 role · dana: kim is comms',
        ].join('\n'),
      );
    });

    test('deleted entries are neither counted nor shown', async () => {
      await bot.say('log 23:01 Paged the database team');
      await bot.say('log 23:02 wrong incident, sorry');
      await bot.say('delete #3');
      expect(await bot.say('show INC-1')).toBe(
        [
          'INC-1 · SEV2 · investigating · open 10m Checkout API returning 502s',
          'started 2026-03-01 23:00 UTC · 2 timeline entries · 0 follow-ups',
          '#1 2026-03-01 23:00 opened · dana: Incident opened: Checkout API returning 502s (SEV2)',
          '#2 2026-03-01 23:01 note · dana: Paged the database team',
        ].join('\n'),
      );
    });

    test('the last five are the five latest live entries in time order, a backdated one in its place, a deleted one skipped', async () => {
      for (const minute of ['01', '02', '03', '04', '05']) await bot.say(`log 23:${minute} Check ${minute}`);
      await bot.say('log 22:58 Backdated: first alert fired');
      await bot.say('log 23:06 wrong incident, sorry');
      await bot.say('delete #8');
      expect((await bot.say('show')).split('\n').slice(1)).toEqual([
        'started 2026-03-01 23:00 UTC · 7 timeline entries · 0 follow-ups',
        '#2 2026-03-01 23:01 note · dana: Check 01',
        '#3 2026-03-01 23:02 note · dana: Check 02',
        '#4 2026-03-01 23:03 note · dana: Check 03',
        '#5 2026-03-01 23:04 note · dana: Check 04',
        '#6 2026-03-01 23:05 note · dana: Check 05',
      ]);
    });

    test('a closed incident says how long it lasted', async () => {
      await bot.say('log 23:01 Paged the database team');
      bot.clock.set('2026-03-01T23:45:00Z');
      await bot.say('close');
      expect((await bot.say('show INC-1')).split('\n')[0]).toBe('INC-1 · SEV2 · investigating · closed after 45m Checkout API returning 502s');
    });

    test('one entry and one follow-up are counted in the singular', async () => {
      await bot.say('followup Alert on the 502 rate');
      expect((await bot.say('show')).split('\n')[1]).toBe('started 2026-03-01 23:00 UTC · 1 timeline entry · 1 follow-up');
    });
  });

  describe('list', () => {
    test('lists each open incident with its state and start', async () => {
      bot.clock.set('2026-03-01T23:30:00Z');
      await bot.say('start Search is slow --tz Europe/Berlin');
      expect(await bot.say('list')).toBe(
        [
          'INC-1 · SEV2 · investigating · open 30m Checkout API returning 502s · started 2026-03-01 23:00 UTC',
          'INC-2 · SEV3 · investigating · open 0s Search is slow · started 2026-03-02 00:30 Europe/Berlin (+01:00)',
        ].join('\n'),
      );
    });

    test('closed incidents are left out, and with none open it says so', async () => {
      await bot.say('start Search is slow');
      await bot.say('close INC-1');
      expect(await bot.say('list')).toBe('INC-2 · SEV3 · investigating · open 0s Search is slow · started 2026-03-01 23:10 UTC');
      await bot.say('close INC-2');
      expect(await bot.say('list')).toBe('No incident is open.');
    });
  });

  describe('help', () => {
    test('lists every verb in order, each with its usage and first sentence', async () => {
      const lines = (await bot.say('help')).split('\n');
      expect(lines[0]).toBe(
        "Commands (an incident command applies to the INC-n you name first, else to this channel's incident, else to the only open one):",
      );
      expect(lines.slice(1).map((l) => l.split(' ')[0])).toEqual([
        'start', 'log', 'detected', 'action', 'decision', 'impact', 'cause', 'status', 'sev', 'role',
        'followup', 'resolve', 'close', 'postmortem', 'show', 'list', 'deliveries', 'warn', 'warnings', 'ack', 'snooze', 'promote',
        'edit', 'delete', 'help',
      ]);
      expect(lines).toContain('start <title> [--sev 1-4] [--at <time>] [--tz <zone>] Open an incident.');
      expect(lines).toContain('log [<time>] <text> Add a timeline entry.');
      expect(lines).toHaveLength(verbs.filter((v) => !v.internal).length + 1);
    });

    test('help log shows its usage, its alias and the whole help text', async () => {
      const expected = [
        'log [<time>] <text> (also: note)',
        'Add a timeline entry. A leading time (14:05, 2026-03-01 23:40, or ISO 8601) backdates it.',
      ].join('\n');
      expect(await bot.say('help log')).toBe(expected);
      expect(await bot.say('help note')).toBe(expected);
    });

    test('help for an unknown verb is an error pointing at help', async () => {
      expect(await bot.say('help nope')).toBe('✗ unknown command "nope": try `help`');
    });
  });

  describe('postmortem', () => {
    test('the default export is the Markdown draft', async () => {
      const reply = await bot.say('postmortem');
      expect(reply.split('\n')[0]).toBe('Postmortem draft for INC-1');
      expect(attachmentOf(reply).split('\n')[0]).toBe('# INC-1: Checkout API returning 502s');
    });

    test('--format json exports the draft as JSON with its timeline', async () => {
      await bot.say('log 23:01 Paged the database team');
      const reply = await bot.say('postmortem --format json');
      expect(reply.split('\n')[0]).toBe('Postmortem draft for INC-1');
      const draft = JSON.parse(attachmentOf(reply));
      expect(draft).toMatchObject({ ref: 'INC-1', title: 'Checkout API returning 502s', severity: 2, state: 'investigating', timeZone: 'UTC' });
      expect(draft.timeline).toEqual([
        { id: 1, at: '2026-03-01T23:00:00.000Z', local: '2026-03-01 23:00', kind: 'opened', author: 'dana', addedBy: null, text: 'Incident opened: Checkout API returning 502s (SEV2)', edited: false },
        { id: 2, at: '2026-03-01T23:01:00.000Z', local: '2026-03-01 23:01', kind: 'note', author: 'dana', addedBy: null, text: 'Paged the database team', edited: false },
      ]);
    });

    test('an unknown format is refused', async () => {
      expect(await bot.say('postmortem --format pdf')).toBe('✗ bad format "pdf": use md or json');
    });

    test('a draft too large to attach is not attached: the reply says how to get it whole', async () => {
      // 1,400 entries of 4,000 characters: over 5 MB of draft.
      await bot.firebell.db.query(
        `insert into timeline_entries (incident_id, occurred_at, recorded_at, author, author_id, kind, text, source_platform, source_event_id)
         select 1, timestamptz '2026-03-01 23:00Z' + n * interval '100 milliseconds', now(), 'dana', 'test:dana', 'note', repeat('x', 3990) || ' ' || n, 'test', 'bulk-' || n
         from generate_series(1, 1400) as n`,
      );
      const reply = await bot.sayReply('postmortem');
      expect(reply.attachment).toBeUndefined();
      expect(plainLines(reply)).toEqual([
        'Postmortem draft for INC-1',
        'It is over 5 MB, too large to attach here: run firebell export INC-1 --format md --out INC-1.md',
      ]);
      // Just under the limit it is attached whole.
      await bot.firebell.db.query(`delete from timeline_entries where source_event_id like 'bulk-%' and substring(source_event_id from 6)::int > 1200`);
      const attached = await bot.sayReply('postmortem');
      expect(attached.attachment?.content).toContain(`| 23:02 | note | ${'x'.repeat(3990)} 1200 | dana |`);
      expect(Buffer.byteLength(attached.attachment!.content)).toBeLessThanOrEqual(MAX_ATTACHED_DRAFT_BYTES);
    });
  });

  test('an unknown verb typed at the shell is an error pointing at help', async () => {
    expect(await terminal.type('/incident lgo Paged the database team')).toBe('✗ unknown command "lgo": try `help`');
    expect((await bot.record(1)).entries).toHaveLength(1);
  });
});
