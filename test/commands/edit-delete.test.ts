import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

describe.each(backends)('edit and delete on $name', (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backend);
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
    await bot.say('start Checkout API returning 502s --at 23:00');
    await bot.say('log 23:02 Paged the databse team'); // #2
    await bot.say('log 23:05 Rolled back release 4812'); // #3
    bot.clock.set('2026-03-01T23:20:00Z');
  });

  test('the reply names the incident the entry belongs to', async () => {
    bot.clock.set('2026-03-01T23:30:00Z');
    expect(await bot.say('start Search index stale')).toMatch(/^INC-2 opened/); // #4
    expect(await bot.say('log INC-2 Reindex started')).toMatch(/^Logged #5 on INC-2/);
    expect(await bot.say('edit #5 Reindex started on node 2')).toBe('Entry #5 of INC-2 now reads: Reindex started on node 2');
    expect(await bot.say('delete #3')).toBe('Entry #3 of INC-1 deleted (it was: Rolled back release 4812)');
  });

  test('an edit changes the entry and keeps the original text on record', async () => {
    expect(await bot.say('edit #2 Paged the database team', { as: 'sam' })).toBe('Entry #2 of INC-1 now reads: Paged the database team');
    const { entries, revisions } = await bot.record(1);
    expect(entries.find((e) => e.id === 2)?.text).toBe('Paged the database team');
    expect(revisions).toEqual([
      { entryId: 2, action: 'edit', previousText: 'Paged the databse team', newText: 'Paged the database team', changedBy: 'sam', changedById: 'test:sam', changedAt: new Date('2026-03-01T23:20:00Z') },
    ]);
  });

  test('the postmortem marks an edited entry and lists the edit among its corrections', async () => {
    await bot.say('edit #2 Paged the database team');
    const draft = await bot.say('postmortem');
    expect(draft).toContain('| 23:02 | note | Paged the database team (edited) | dana |');
    expect(draft).toContain('## Corrections');
    expect(draft).toContain('| 2026-03-01 23:20 | dana | #2, note of 2026-03-01 23:02 | edited | Paged the databse team | Paged the database team |');
  });

  test('a deleted entry leaves the postmortem timeline but is listed among its corrections', async () => {
    expect(await bot.say('delete #3')).toBe('Entry #3 of INC-1 deleted (it was: Rolled back release 4812)');
    const draft = await bot.say('postmortem');
    expect(draft).not.toContain('| 23:05 | action |');
    expect(draft).not.toContain('| 23:05 | note |');
    expect(draft).toContain('| 2026-03-01 23:20 | dana | #3, note of 2026-03-01 23:05 | deleted | Rolled back release 4812 | — |');
  });

  test('a deleted entry is kept in the record, marked with who deleted it', async () => {
    await bot.say('delete #3', { as: 'sam' });
    const deleted = (await bot.record(1)).entries.find((e) => e.id === 3);
    expect(deleted).toMatchObject({ text: 'Rolled back release 4812', deletedBy: 'sam', deletedAt: new Date('2026-03-01T23:20:00Z') });
  });

  test('a deleted entry cannot be edited or deleted again', async () => {
    await bot.say('delete #3');
    expect(await bot.say('edit #3 Rolled back release 4811')).toBe('✗ entry #3 was already deleted');
    expect(await bot.say('delete #3')).toBe('✗ entry #3 was already deleted');
    expect((await bot.record(1)).revisions).toHaveLength(1);
  });

  test('an entry is named as #3 or as 3', async () => {
    expect(await bot.say('edit 2 Paged the database team')).toBe('Entry #2 of INC-1 now reads: Paged the database team');
    expect(await bot.say('delete 3')).toBe('Entry #3 of INC-1 deleted (it was: Rolled back release 4812)');
    expect((await bot.record(1)).revisions.map((r) => [r.entryId, r.action])).toEqual([[2, 'edit'], [3, 'delete']]);
  });

  test('an unknown entry is refused', async () => {
    expect(await bot.say('edit #999 Paged the database team')).toBe('✗ entry #999 does not exist');
    expect(await bot.say('delete #999')).toBe('✗ entry #999 does not exist');
  });

  test('an entry id that is not a number is refused', async () => {
    expect(await bot.say('edit abc Paged the database team')).toBe('✗ bad entry "abc": use the number shown beside it, e.g. #42');
    expect(await bot.say('delete abc')).toBe('✗ bad entry "abc": use the number shown beside it, e.g. #42');
  });

  test('an edit without new text, or with the same text, is refused', async () => {
    expect(await bot.say('edit #2')).toBe('✗ missing text; usage: edit <entry> <new text>');
    expect(await bot.say('edit #2 Paged the databse team')).toBe('✗ entry #2 already says that');
    expect((await bot.record(1)).revisions).toEqual([]);
  });

  test('correcting a closed incident\'s timeline rewrites its exported draft', async () => {
    await bot.say('close');
    await bot.say('edit #2 Paged the database team');
    const draft = await bot.draft(1);
    expect(draft).toContain('| 23:02 | note | Paged the database team (edited) | dana |');
  });

  describe('a status entry', () => {
    beforeEach(async () => {
      bot.clock.set('2026-03-01T23:15:00Z');
      await bot.say('status identified Bad deploy; rolling back'); // #4
      bot.clock.set('2026-03-01T23:18:00Z');
      await bot.say('status monitoring Fix deployed, watchng error rates'); // #5
      bot.clock.set('2026-03-01T23:20:00Z');
    });

    const publicTable = (draft: string) => draft.slice(draft.indexOf('## Public communications'), draft.indexOf('## Contributing factors'));

    test('edited, it says the new public message, and the postmortem\'s status table says it too', async () => {
      expect(await bot.say('edit #5 Fix deployed, watching error rates', { as: 'sam' })).toBe(
        'Entry #5 of INC-1 now reads: Status monitoring: Fix deployed, watching error rates',
      );
      const draft = await bot.say('postmortem');
      expect(draft).toContain('| 23:18 | status | Status monitoring: Fix deployed, watching error rates (edited) | dana |');
      expect(publicTable(draft)).toContain('| 2026-03-01 23:18 | monitoring | Fix deployed, watching error rates | dana |');
      expect(publicTable(draft)).not.toContain('watchng');
      expect(draft).toContain(
        '| 2026-03-01 23:20 | sam | #5, status of 2026-03-01 23:18 | edited | Status monitoring: Fix deployed, watchng error rates | Status monitoring: Fix deployed, watching error rates |',
      );
      expect(await bot.say('show')).toContain('Last public update (monitoring, 2026-03-01 23:18): Fix deployed, watching error rates');
    });

    test('edited with its "Status monitoring:" prefix typed out, the prefix is not doubled', async () => {
      expect(await bot.say('edit #5 Status monitoring: Fix deployed, watching error rates')).toBe(
        'Entry #5 of INC-1 now reads: Status monitoring: Fix deployed, watching error rates',
      );
      expect(await bot.say('edit #5 status MONITORING: Fix deployed, watching error rates')).toBe('✗ entry #5 already says that');
    });

    test('an edit cannot change the state it announced: that takes a new status update', async () => {
      expect(await bot.say('edit #5 Status resolved: All clear')).toBe(
        '✗ entry #5 is a monitoring update: edit changes its message only; post `status resolved …` to change the state',
      );
      expect(await bot.say('edit #5 Status monitoring:')).toBe('✗ entry #5 needs a public message after "Status monitoring:"');
      const { revisions, statusUpdates } = await bot.record(1);
      expect(revisions).toEqual([]);
      expect(statusUpdates.map((u) => u.message)).toEqual(['Bad deploy; rolling back', 'Fix deployed, watchng error rates']);
    });

    test('deleted, its public update leaves the status table; the corrections keep what it said', async () => {
      expect(await bot.say('delete #5', { as: 'sam' })).toBe(
        'Entry #5 of INC-1 deleted (it was: Status monitoring: Fix deployed, watchng error rates); INC-1 is identified again',
      );
      const draft = await bot.say('postmortem');
      expect(publicTable(draft)).toContain('| 2026-03-01 23:15 | identified | Bad deploy; rolling back | dana |');
      expect(publicTable(draft)).not.toContain('monitoring');
      expect(draft).toContain('| 2026-03-01 23:20 | sam | #5, status of 2026-03-01 23:18 | deleted | Status monitoring: Fix deployed, watchng error rates | — |');
      expect(await bot.say('show')).toMatch(/^INC-1 · SEV3 · identified · /);
    });

    test('a resolve deleted by mistake leaves the incident unresolved, so it can be resolved again', async () => {
      await bot.say('resolve 23:19 All clear'); // #6
      expect(await bot.say('delete #6')).toBe(
        'Entry #6 of INC-1 deleted (it was: Status resolved: All clear); INC-1 is monitoring again',
      );
      const { incident } = await bot.record(1);
      expect([incident.state, incident.resolvedAt]).toEqual(['monitoring', null]);
      expect(await bot.say('resolve 23:20 All clear now')).toMatch(/^INC-1 resolved at 2026-03-01 23:20 UTC\. /);
    });

    test('deleting an older update leaves the current state alone', async () => {
      expect(await bot.say('delete #4')).toBe('Entry #4 of INC-1 deleted (it was: Status identified: Bad deploy; rolling back)');
      expect((await bot.record(1)).incident.state).toBe('monitoring');
    });
  });
});
