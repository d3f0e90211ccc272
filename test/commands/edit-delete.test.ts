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

  test('an edit changes the entry and keeps the original text on record', async () => {
    expect(await bot.say('edit #2 Paged the database team', { as: 'sam' })).toBe('Entry #2 now reads: Paged the database team');
    const { entries, revisions } = await bot.record(1);
    expect(entries.find((e) => e.id === 2)?.text).toBe('Paged the database team');
    expect(revisions).toEqual([
      { entryId: 2, action: 'edit', previousText: 'Paged the databse team', newText: 'Paged the database team', changedBy: 'sam', changedById: 'test:sam', changedAt: new Date('2026-03-01T23:20:00Z') },
    ]);
  });

  test('the postmortem marks an edited entry and lists the edit among its corrections', async () => {
    await bot.say('edit #2 Paged the database team');
    const draft = await bot.say('postmortem');
    expect(draft).toContain('| 23:02 | #2 | note | dana | Paged the database team (edited) |');
    expect(draft).toContain('## Timeline corrections');
    expect(draft).toContain('| 2026-03-01 23:20 | dana | #2 | edited | Paged the databse team | Paged the database team |');
  });

  test('a deleted entry leaves the postmortem timeline but is listed among its corrections', async () => {
    expect(await bot.say('delete #3')).toBe('Entry #3 deleted (it was: Rolled back release 4812)');
    const draft = await bot.say('postmortem');
    expect(draft).not.toContain('| 23:05 | #3 |');
    expect(draft).toContain('| 2026-03-01 23:20 | dana | #3 | deleted | Rolled back release 4812 | — |');
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
    expect(await bot.say('edit 2 Paged the database team')).toBe('Entry #2 now reads: Paged the database team');
    expect(await bot.say('delete 3')).toBe('Entry #3 deleted (it was: Rolled back release 4812)');
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
    expect(draft).toContain('| 23:02 | #2 | note | dana | Paged the database team (edited) |');
  });
});
