import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CommandJournal, readJournalContents, type JournaledCommand } from '../../src/store/journal.ts';
import { ManualClock } from '../support/clock.ts';

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

interface LoggedLine {
  level: number;
  msg: string;
  line?: number;
}

describe('the command journal', () => {
  let dir: string;
  let path: string;
  let logged: LoggedLine[];
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  const opened: CommandJournal[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString('utf8')) as LoggedLine);
        done();
      },
    }),
  );

  async function open(): Promise<CommandJournal> {
    const j = await CommandJournal.open(path, { log, clock });
    opened.push(j);
    return j;
  }

  /** The journal file as it is about to be opened. */
  async function writeJournal(text: string | Buffer): Promise<void> {
    await open().then((j) => j.close());
    opened.length = 0;
    await writeFile(path, text);
  }

  async function setAside(): Promise<Record<string, unknown>[]> {
    const text = await readFile(join(dir, 'journal', 'unreadable.jsonl'), 'utf8').catch(() => '');
    return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  const errors = () => logged.filter((l) => l.level === 50).map((l) => l.msg);

  /** Closes the journal and opens the file again, as a restarted bot does. */
  async function reopen(j: CommandJournal): Promise<CommandJournal> {
    await j.close();
    opened.splice(opened.indexOf(j), 1);
    return open();
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firebell-journal-'));
    path = join(dir, 'journal', 'commands.jsonl');
    logged = [];
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

  test('a torn last line is cut off, not set aside: it was never acknowledged', async () => {
    await writeJournal(line(1, command('Ev1')) + 'garbage with no end of line');
    const j = await open();
    expect(j.pending().map((r) => r.command.eventId)).toEqual(['Ev1']);
    expect(await readFile(path, 'utf8')).toBe(line(1, command('Ev1')));
    expect(await setAside()).toEqual([]);
    expect(errors()).toEqual([]);
  });

  test('a garbage line in the middle is set aside, and the commands around it replay', async () => {
    await writeJournal(line(1, command('Ev1')) + '{"s":2,"c":{"verb\n' + line(3, command('Ev3')));
    const j = await open();
    expect(j.pending().map((r) => [r.seq, r.command.eventId])).toEqual([
      [1, 'Ev1'],
      [3, 'Ev3'],
    ]);
    expect(await setAside()).toEqual([{ line: 2, at: '2026-03-02T08:00:00.000Z', reason: 'not JSON', raw: '{"s":2,"c":{"verb' }]);
    expect(errors()).toEqual([`journal line 2 is unreadable (not JSON); set aside in ${join(dir, 'journal', 'unreadable.jsonl')}`]);
    expect(logged.find((l) => l.level === 50)).toMatchObject({ line: 2 });
  });

  test.each([
    ['null', 'neither a command nor a settle mark'],
    ['42', 'neither a command nor a settle mark'],
    ['"log x"', 'neither a command nor a settle mark'],
    ['[]', 'neither a command nor a settle mark'],
    ['{}', 'neither a command nor a settle mark'],
  ])('a line that is JSON but not a record (%s) is set aside', async (raw, reason) => {
    await writeJournal(line(1, command('Ev1')) + raw + '\n' + line(3, command('Ev3')));
    const j = await open();
    expect(j.pending().map((r) => r.command.eventId)).toEqual(['Ev1', 'Ev3']);
    expect(await setAside()).toEqual([{ line: 2, at: '2026-03-02T08:00:00.000Z', reason, raw }]);
  });

  const { eventId: _dropped, ...withoutEventId } = command('Ev2');
  test.each([
    ['a command without an event id', { s: 2, c: withoutEventId }, 'bad command: c.eventId: '],
    ['a command whose text is a number', { s: 2, c: { ...command('Ev2'), text: 5 } }, 'bad command: c.text: '],
    ['a command with an unreadable arrival time', { s: 2, c: { ...command('Ev2'), receivedAt: 'yesterday' } }, 'bad command: c.receivedAt: '],
    ['a command without a sequence number', { c: command('Ev2') }, 'bad command: s: '],
    ['a command with a fractional sequence number', { s: 2.5, c: command('Ev2') }, 'bad command: s: '],
    ['a sequence number without a command', { s: 2 }, 'bad command: c: '],
    ['a settle mark of strings', { d: ['1'] }, 'bad settle mark: d.0: '],
    ['a settle mark that is not a list', { d: 1 }, 'bad settle mark: d: '],
  ])('%s is set aside', async (_name, value, reason) => {
    await writeJournal(line(1, command('Ev1')) + JSON.stringify(value) + '\n' + line(3, command('Ev3')));
    const j = await open();
    expect(j.pending().map((r) => r.command.eventId)).toEqual(['Ev1', 'Ev3']);
    const [entry, ...more] = await setAside();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ line: 2, raw: JSON.stringify(value) });
    expect(String(entry!.reason)).toMatch(new RegExp(`^${reason.replace(/\./g, '\\.')}\\S`));
    expect(errors()).toHaveLength(1);
  });

  test('a settle mark that cannot be read leaves its commands pending, so they run again', async () => {
    await writeJournal(line(1, command('Ev1')) + '{"d":[1,"x"]}\n');
    const j = await open();
    expect(j.pending().map((r) => r.command.eventId)).toEqual(['Ev1']);
    expect(await setAside()).toMatchObject([{ line: 2, raw: '{"d":[1,"x"]}' }]);
  });

  test('several bad lines are each set aside under their own line number, in order', async () => {
    await writeJournal(['null', line(2, command('Ev2')).trimEnd(), 'garbage', '', '{}', line(6, command('Ev6'))].join('\n'));
    const j = await open();
    expect(j.pending().map((r) => r.command.eventId)).toEqual(['Ev2', 'Ev6']);
    expect((await setAside()).map((e) => [e.line, e.raw])).toEqual([
      [1, 'null'],
      [3, 'garbage'],
      [5, '{}'],
    ]);
    expect(errors().map((m) => m.split(' (')[0])).toEqual(['journal line 1 is unreadable', 'journal line 3 is unreadable', 'journal line 5 is unreadable']);
  });

  test('a bad last line that ends with a newline is set aside, not cut off', async () => {
    await writeJournal(line(1, command('Ev1')) + 'garbage\n');
    const j = await open();
    expect(j.pending().map((r) => r.command.eventId)).toEqual(['Ev1']);
    expect(await setAside()).toMatchObject([{ line: 2, raw: 'garbage' }]);
  });

  test('a line that is not UTF-8 is set aside byte for byte', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    await writeJournal(Buffer.concat([Buffer.from(line(1, command('Ev1'))), bytes, Buffer.from('\n' + line(3, command('Ev3')))]));
    const j = await open();
    expect(j.pending().map((r) => r.command.eventId)).toEqual(['Ev1', 'Ev3']);
    const [entry] = await setAside();
    expect(entry).toMatchObject({ line: 2, reason: 'not UTF-8 text' });
    expect(Buffer.from(String(entry!.rawBase64), 'base64')).toEqual(bytes);
  });

  test('a line set aside leaves the journal: the next start neither sets it aside again nor logs it', async () => {
    await writeJournal(line(1, command('Ev1')) + 'garbage\n' + line(3, command('Ev3')));
    const j = await open();
    await j.append([command('Ev4')]);
    logged = [];
    const again = await reopen(j);
    expect(again.pending().map((r) => r.command.eventId)).toEqual(['Ev1', 'Ev3', 'Ev4']);
    expect(await setAside()).toHaveLength(1);
    expect(errors()).toEqual([]);
  });

  test('compacting after a set-aside keeps the set-aside file, and nothing set aside comes back', async () => {
    await writeJournal(line(1, command('Ev1')) + '{"s":2,"c":null}\n' + line(3, command('Ev3')));
    const j = await open();
    const before = await readFile(join(dir, 'journal', 'unreadable.jsonl'), 'utf8');
    j.settle([1, 3]);
    expect(await j.compact(j.nextSequence)).toBe(true);
    const again = await reopen(j);
    expect(again.pending()).toEqual([]);
    expect(await readFile(join(dir, 'journal', 'unreadable.jsonl'), 'utf8')).toBe(before);
    // A later set-aside is added to the same file.
    await again.close();
    opened.length = 0;
    await appendFile(path, 'more garbage\n');
    await open();
    expect((await setAside()).map((e) => e.raw)).toEqual(['{"s":2,"c":null}', 'more garbage']);
  });

  test('a sequence number settled after its command was set aside is not handed out again', async () => {
    await writeJournal(line(1, command('Ev1')) + '{"s":2,"c":{}}\n' + '{"d":[1,2]}\n');
    const j = await open();
    expect(j.pending()).toEqual([]);
    expect(await j.append([command('Ev3')])).toEqual([3]);
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

  test('size counts the bytes of its lines, and closed, the file holds those lines only', async () => {
    const j = await open();
    await j.append([command('Ev1')]);
    j.settle([1]);
    await j.flush();
    const written = line(1, command('Ev1')) + '{"d":[1]}\n';
    expect(j.size).toBe(Buffer.byteLength(written));
    await j.close();
    expect(await readFile(path, 'utf8')).toBe(written);
  });

  test('the zeros written ahead of the lines are never read as one, after a crash or by a reader meanwhile', async () => {
    const j = await open();
    await j.append([command('Ev1'), command('Ev2')]);
    j.settle([1]);
    await j.flush();
    // Running, the file reaches past its lines: what a crash would leave.
    expect((await stat(path)).size).toBeGreaterThan(j.size);
    expect((await readJournalContents(path)).pending.map((r) => r.command.eventId)).toEqual(['Ev2']);
    const again = await open();
    expect(again.pending().map((r) => r.command.eventId)).toEqual(['Ev2']);
    expect(await setAside()).toEqual([]);
    expect(errors()).toEqual([]);
    expect(await again.append([command('Ev3')])).toEqual([3]);
    const third = await reopen(again);
    expect(third.pending().map((r) => r.command.eventId)).toEqual(['Ev2', 'Ev3']);
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
