import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CommandJournal, type JournaledCommand } from '../../src/store/journal.ts';

function command(eventId: string, text = `note ${eventId}`): JournaledCommand {
  return {
    verb: 'log',
    text,
    actor: { platform: 'slack', id: 'U123', name: 'dana' },
    channel: { platform: 'slack', id: 'C42' },
    eventId,
    receivedAt: '2026-03-01T23:40:00.000Z',
  };
}

const line = (seq: number, c: JournaledCommand) => JSON.stringify({ s: seq, c }) + '\n';

describe('the command journal', () => {
  let dir: string;
  let path: string;
  const opened: CommandJournal[] = [];

  async function open(): Promise<CommandJournal> {
    const j = await CommandJournal.open(path);
    opened.push(j);
    return j;
  }

  /** Closes the journal and opens the file again, as a restarted bot does. */
  async function reopen(j: CommandJournal): Promise<CommandJournal> {
    await j.close();
    opened.splice(opened.indexOf(j), 1);
    return open();
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firebell-journal-'));
    path = join(dir, 'journal', 'commands.jsonl');
  });

  afterEach(async () => {
    for (const j of opened.splice(0)) await j.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a journal that does not exist yet opens empty, creating its folder', async () => {
    const j = await open();
    expect(j.pending()).toEqual([]);
    expect(j.size).toBe(0);
    expect((await stat(join(dir, 'journal'))).isDirectory()).toBe(true);
  });

  test('a command an adapter built (payload, attribution, key, reply address) comes back exactly as it arrived', async () => {
    const pinned: JournaledCommand = {
      ...command('Ev7'),
      text: '',
      payload: { text: 'Replica is 40 minutes behind' },
      attribution: { author: { platform: 'slack', id: 'U0ERIN', name: 'erin' }, at: '2026-03-01T23:02:00.000Z' },
      idempotencyKey: 'pin:C42:1772406120.000100',
      replyTo: { responseUrl: 'https://hooks.slack.test/commands/T1/1/x', user: 'U123' },
    };
    const j = await open();
    await j.append([pinned]);
    expect((await reopen(j)).pending()).toEqual([{ seq: 1, command: pinned }]);
  });

  test('an appended command is still pending after a restart, exactly as written', async () => {
    const j = await open();
    expect(await j.append([command('Ev1', 'Rolled back "release 4812"\nline two')])).toEqual([1]);
    const again = await reopen(j);
    expect(again.pending()).toEqual([{ seq: 1, command: command('Ev1', 'Rolled back "release 4812"\nline two') }]);
  });

  test('a settled command is gone after a restart', async () => {
    const j = await open();
    const [seq] = await j.append([command('Ev1')]);
    await j.append([command('Ev2')]);
    j.settle([seq!]);
    expect(j.pending().map((r) => r.command.eventId)).toEqual(['Ev2']);
    const again = await reopen(j);
    expect(again.pending().map((r) => r.command.eventId)).toEqual(['Ev2']);
  });

  test('a settle mark that never reached the file leaves the command pending, so it runs again', async () => {
    const j = await open();
    const [seq] = await j.append([command('Ev1')]);
    j.settle([seq!]);
    // The process dies here: no flush, no close. A second reader sees what is on disk.
    const afterCrash = await open();
    expect(afterCrash.pending().map((r) => r.command.eventId)).toEqual(['Ev1']);
  });

  test('pending commands come back in sequence order, with settled ones in between left out', async () => {
    const j = await open();
    const seqs = await j.append([command('Ev1'), command('Ev2'), command('Ev3')]);
    await j.append([command('Ev4')]);
    expect(seqs).toEqual([1, 2, 3]);
    j.settle([2]);
    const again = await reopen(j);
    expect(again.pending().map((r) => [r.seq, r.command.eventId])).toEqual([
      [1, 'Ev1'],
      [3, 'Ev3'],
      [4, 'Ev4'],
    ]);
  });

  test('sequence numbers continue after a restart, even past settled commands', async () => {
    const j = await open();
    await j.append([command('Ev1'), command('Ev2'), command('Ev3')]);
    j.settle([1, 2, 3]);
    const again = await reopen(j);
    expect(again.pending()).toEqual([]);
    expect(await again.append([command('Ev4')])).toEqual([4]);
  });

  test('a torn last line (power lost mid-write) is ignored on reopen', async () => {
    await open().then((j) => j.close());
    await writeFile(path, line(1, command('Ev1')) + line(2, command('Ev2')).slice(0, 30));
    const j = await open();
    expect(j.pending().map((r) => [r.seq, r.command.eventId])).toEqual([[1, 'Ev1']]);
  });

  test('a command appended after a torn line survives the next restart', async () => {
    await open().then((j) => j.close());
    await writeFile(path, line(1, command('Ev1')) + line(2, command('Ev2')).slice(0, 30));
    const j = await open();
    await j.append([command('Ev3')]);
    const again = await reopen(j);
    expect(again.pending().map((r) => r.command.eventId)).toEqual(['Ev1', 'Ev3']);
  });

  test('a damaged line in the middle stops the journal from opening, naming the line', async () => {
    await open().then((j) => j.close());
    await writeFile(path, line(1, command('Ev1')) + '{"s":2,"c":{"verb\n' + line(3, command('Ev3')));
    await expect(CommandJournal.open(path)).rejects.toThrow(`${path}: line 2 is damaged: `);
  });

  test('compacting empties the file once nothing is pending', async () => {
    const j = await open();
    await j.append([command('Ev1'), command('Ev2')]);
    j.settle([1, 2]);
    expect(await j.compact(j.nextSequence)).toBe(true);
    expect(j.size).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('');
    const again = await reopen(j);
    expect(again.pending()).toEqual([]);
  });

  test('compacting while a command is pending changes nothing', async () => {
    const j = await open();
    await j.append([command('Ev1'), command('Ev2')]);
    j.settle([1]);
    expect(await j.compact(j.nextSequence)).toBe(false);
    const again = await reopen(j);
    expect(again.pending().map((r) => r.command.eventId)).toEqual(['Ev2']);
  });

  test('compacting is refused when a command arrived after the watermark, even one already settled', async () => {
    const j = await open();
    await j.append([command('Ev1')]);
    j.settle([1]);
    // The database was made durable up to here; then Ev2 arrived and was settled before compact ran.
    const watermark = j.nextSequence;
    await j.append([command('Ev2')]);
    j.settle([2]);
    expect(await j.compact(watermark)).toBe(false);
    expect((await readFile(path, 'utf8')).split('\n').filter((l) => l.startsWith('{"s":'))).toHaveLength(2);
  });

  test('a command appended while a compaction is queued is never lost', async () => {
    const j = await open();
    await j.append([command('Ev1')]);
    j.settle([1]);
    const compacted = j.compact(j.nextSequence);
    const appended = j.append([command('Ev2')]);
    expect(await appended).toEqual([2]);
    await compacted;
    const again = await reopen(j);
    expect(again.pending().map((r) => r.command.eventId)).toEqual(['Ev2']);
  });

  test('commands appended after compacting are in the new file', async () => {
    const j = await open();
    await j.append([command('Ev1')]);
    j.settle([1]);
    expect(await j.compact(j.nextSequence)).toBe(true);
    await j.append([command('Ev2')]);
    const again = await reopen(j);
    expect(again.pending().map((r) => r.command.eventId)).toEqual(['Ev2']);
  });

  test('size counts the bytes in the file', async () => {
    const j = await open();
    await j.append([command('Ev1')]);
    j.settle([1]);
    await j.flush();
    expect(j.size).toBe((await stat(path)).size);
    expect(j.size).toBe(Buffer.byteLength(line(1, command('Ev1')) + '{"d":[1]}\n'));
  });

  test('fifty appends at once all land, each with its own sequence number', async () => {
    const j = await open();
    const ids = Array.from({ length: 50 }, (_, i) => `Ev${i + 1}`);
    const seqs = (await Promise.all(ids.map((id) => j.append([command(id)])))).flat();
    expect(new Set(seqs).size).toBe(50);
    const again = await reopen(j);
    const pending = again.pending();
    expect(pending).toHaveLength(50);
    expect(new Set(pending.map((r) => r.seq)).size).toBe(50);
    // Order of appending is order of sequence.
    expect(pending.map((r) => r.command.eventId)).toEqual(ids);
    expect(pending.map((r) => r.seq)).toEqual(seqs);
  });

  test('a file written by hand with blank lines between records still opens', async () => {
    await open().then((j) => j.close());
    await appendFile(path, line(1, command('Ev1')) + '\n\n' + line(2, command('Ev2')));
    const j = await open();
    expect(j.pending().map((r) => r.seq)).toEqual([1, 2]);
  });
});
