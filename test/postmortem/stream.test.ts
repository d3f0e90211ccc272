import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openIncidentRecord } from '../../src/core/record.ts';
import { POSTMORTEM_FORMATS, exportPostmortem, streamPostmortem } from '../../src/postmortem/export.ts';
import { sqlStore } from '../../src/store/sql-store.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';

async function collect(chunks: AsyncIterable<string>): Promise<{ text: string; pieces: number }> {
  let text = '';
  let pieces = 0;
  for await (const c of chunks) {
    text += c;
    pieces++;
  }
  return { text, pieces };
}

/**
 * The streamed export reads the timeline a page at a time (keyset pages on occurred_at, id) and
 * must write exactly what the in-memory render writes: every entry once, in order, across pages
 * whose boundaries fall inside runs of entries with the same time.
 */
describe.each(backends)('the streamed postmortem on $name', (backend) => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot(backend, { now: '2026-03-02T12:00:00Z' });
    await bot.say('start Long night --at "2026-03-01 20:00" --tz Europe/Berlin');
    // 1,200 entries, five to each second: pages of 7 end inside a run of equal times.
    await bot.firebell.db.query(
      `insert into timeline_entries (incident_id, occurred_at, recorded_at, author, author_id, kind, text, source_platform, source_event_id)
       select 1, timestamptz '2026-03-01 19:00Z' + (n / 5) * interval '1 second', now(), 'dana', 'test:dana',
              case when n % 400 = 0 then 'impact' else 'note' end, 'entry | number ' || n, 'test', 'bulk-' || n
       from generate_series(1, 1200) as n`,
    );
    await bot.say('edit #7 entry number six, corrected');
    await bot.say('delete #9');
    await bot.say('log 23:59 late entry');
    await bot.say('status monitoring Fix out');
  });
  afterAll(() => bot.stop());

  test.each(POSTMORTEM_FORMATS)('in %s is the same text as the draft rendered in memory, written in many pieces', async (format) => {
    const whole = exportPostmortem(await bot.record(1), format, bot.clock.now()).content;
    const record = await openIncidentRecord(sqlStore(bot.firebell.db), 1, 7);
    const streamed = await collect(streamPostmortem(record!, format, bot.clock.now()));
    expect(streamed.text).toBe(whole);
    expect(streamed.pieces).toBeGreaterThan(150);
  });

  test('has every live entry once, in time order', async () => {
    const record = await openIncidentRecord(sqlStore(bot.firebell.db), 1, 7);
    const json = JSON.parse((await collect(streamPostmortem(record!, 'json', bot.clock.now()))).text) as { timeline: { id: number; text: string }[] };
    const ids = json.timeline.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // 1,200 bulk entries and the opening, less the deleted one; the log and the status update too.
    expect(ids).toHaveLength(1200 + 1 - 1 + 2);
    expect(json.timeline.find((e) => e.id === 7)?.text).toBe('entry number six, corrected');
    expect(ids).not.toContain(9);
  });

  test('of an unknown incident is nothing', async () => {
    expect(await openIncidentRecord(sqlStore(bot.firebell.db), 99)).toBeNull();
  });
});
