import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { noticeText } from '../../src/chat/notice-text.ts';
import { plainLines } from '../../src/chat/reply.ts';
import type { JournaledCommand } from '../../src/store/journal.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { runFirebell } from '../support/cli.ts';
import { backends } from '../support/databases.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';

const dana = { platform: 'test', id: 'U0DANA', name: 'dana' };
const at = (hhmm: string) => `2026-03-01T${hhmm}:00.000Z`;
const command = (seq: number, verb: string, text: string, time: string): JournaledCommand => ({
  verb,
  text,
  actor: dana,
  channel: { platform: 'test', id: 'C0OPS' },
  eventId: `Ev${seq}`,
  receivedAt: at(time),
});

// Lesson 4: one poison command must not stop the line.
describe.each(backends)('a journaled command that reads but no longer parses, on $name', (backend) => {
  const chat = new RecordingAdapter('test');
  let bot: TestBot;
  let dataDir: string;

  beforeAll(async () => {
    const database = await backend.create();
    dataDir = database.settings.DATA_DIR;
    const journal = [
      command(1, 'start', 'Replica lag --at 23:00 --tz UTC', '23:01'),
      command(2, 'sev', '9', '23:02'),
      command(3, 'frobnicate', 'the replica', '23:03'),
      command(4, 'log', 'Replica is 40 minutes behind', '23:04'),
    ];
    await mkdir(join(dataDir, 'journal'), { recursive: true });
    await writeFile(join(dataDir, 'journal', 'commands.jsonl'), journal.map((c, i) => `${JSON.stringify({ s: i + 1, c })}\n`).join(''));
    bot = await startTestBot(backend, { now: '2026-03-01T23:30:00Z', database, adapters: () => [chat] });
  });
  afterAll(async () => {
    await bot.stop();
    await bot.database.drop();
  });

  test('the rest is recorded, in order', async () => {
    const { incident, entries } = await bot.record(1);
    expect(incident.severity).toBe(3);
    expect(entries.map((e) => e.text)).toEqual(['Incident opened: Replica lag (SEV3)', 'Replica is 40 minutes behind']);
    expect(bot.firebell.journal.pending()).toEqual([]);
  });

  test('it is set aside in DATA_DIR/journal/dead.jsonl with the reason, as it was journaled', async () => {
    const lines = (await readFile(join(dataDir, 'journal', 'dead.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { seq: 2, at: '2026-03-01T23:30:00.000Z', reason: expect.stringMatching(/\S/), command: command(2, 'sev', '9', '23:02') },
      { seq: 3, at: '2026-03-01T23:30:00.000Z', reason: 'unknown command "frobnicate"', command: command(3, 'frobnicate', 'the replica', '23:03') },
    ]);
  });

  test('the ops channel is told, once per command', async () => {
    await bot.firebell.outbox.drain();
    const setAside = chat.told.filter((t) => t.notice.kind === 'command_set_aside').map((t) => noticeText(t.notice)!);
    expect(setAside.map((t) => t.audience)).toEqual([{ to: 'ops' }, { to: 'ops' }]);
    const file = join(dataDir, 'journal', 'dead.jsonl');
    expect(plainLines({ tone: 'ok', lines: [setAside[1]!.line] })).toEqual([
      `⚠ A command from the journal could not be run and was set aside in ${file} (unknown command "frobnicate"): frobnicate the replica by dana, received 2026-03-01T23:03:00.000Z. The commands after it were recorded; firebell journal lists it.`,
    ]);
  });

  test('`firebell journal` lists what is pending and what was set aside, while the bot runs', async () => {
    const listed = await runFirebell(['journal'], { DATA_DIR: dataDir });
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`pending: 0 (${join(dataDir, 'journal', 'commands.jsonl')})`);
    expect(lines[1]).toBe(`set aside: 2 (${join(dataDir, 'journal', 'dead.jsonl')})`);
    expect(lines[2]).toMatch(/^ {2}#2 2026-03-01T23:02:00.000Z dana on test C0OPS: "sev 9" — ".+", set aside 2026-03-01T23:30:00.000Z$/);
    expect(lines[3]).toBe('  #3 2026-03-01T23:03:00.000Z dana on test C0OPS: "frobnicate the replica" — "unknown command \\"frobnicate\\"", set aside 2026-03-01T23:30:00.000Z');
    expect(lines).toHaveLength(4);
  });
});
