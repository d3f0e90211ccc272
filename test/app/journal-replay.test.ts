import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JournaledCommand } from '../../src/store/journal.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';

const dana = { platform: 'test', id: 'U0DANA', name: 'dana' };

/** As after a power loss on the embedded default: the fsync'd journal has commands the database lacks. */
describe('commands found in the journal at start-up, on pglite', () => {
  const chat = new RecordingAdapter('test');
  let bot: TestBot;

  beforeAll(async () => {
    const database = await backends[0]!.create();
    const journal: JournaledCommand[] = [
      { verb: 'start', text: 'Replica lag --at 23:00 --tz UTC', actor: dana, channel: { platform: 'test', id: 'C0OPS' }, eventId: 'Ev1', receivedAt: '2026-03-01T23:01:00.000Z' },
      {
        verb: 'log',
        text: '',
        payload: { text: 'Replica is 40 minutes behind' },
        actor: dana,
        attribution: { author: { platform: 'test', id: 'U0ERIN', name: 'erin' }, at: '2026-03-01T23:02:00.000Z' },
        channel: { platform: 'test', id: 'C0OPS' },
        eventId: 'Ev2',
        idempotencyKey: 'pin:C0OPS:1772406120.000100',
        replyTo: { thread: '1772406120.000100' },
        receivedAt: '2026-03-01T23:05:00.000Z',
      },
    ];
    await mkdir(join(database.settings.DATA_DIR, 'journal'), { recursive: true });
    await writeFile(join(database.settings.DATA_DIR, 'journal', 'commands.jsonl'), journal.map((c, i) => `${JSON.stringify({ s: i + 1, c })}\n`).join(''));
    bot = await startTestBot(backends[0]!, { now: '2026-03-01T23:30:00Z', database, adapters: () => [chat] });
  });
  afterAll(async () => {
    await bot.stop();
    await bot.database.drop();
  });

  test('are recorded exactly as they arrived: at their own time, by their author, once', async () => {
    const { entries } = await bot.record(1);
    expect(entries.map((e) => [e.occurredAt.toISOString(), e.recordedAt.toISOString(), e.author, e.addedBy, e.text])).toEqual([
      ['2026-03-01T23:00:00.000Z', '2026-03-01T23:01:00.000Z', 'dana', null, 'Incident opened: Replica lag (SEV3)'],
      ['2026-03-01T23:02:00.000Z', '2026-03-01T23:05:00.000Z', 'erin', 'dana', 'Replica is 40 minutes behind'],
    ]);
  });

  test('their replies go to the platform they came from, at the address it chose', async () => {
    await bot.firebell.outbox.drain();
    expect(chat.lateReplies.map((l) => [l.late.invocation.verb, l.late.replyTo, l.late.reply.lines.map((line) => line.map((s) => s.text).join(''))])).toEqual([
      ['start', undefined, ['INC-1 opened: Replica lag · SEV3 · started 2026-03-01 23:00 UTC']],
      ['log', { thread: '1772406120.000100' }, ['Logged #2 on INC-1 at 2026-03-01 23:02 UTC']],
    ]);
  });
});
