import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { RunningFirebell, runFirebell } from '../support/cli.ts';
import { fileDigests } from '../support/files.ts';

/** The notes of an exported timeline, in order. */
function notes(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((l) => l.includes('| note |'))
    .map((l) => l.split('|').at(-3)!.trim());
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `e-${from + i}`);

/** Field 22 of /proc/<pid>/stat, as the lock records it. */
function startTimeOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

// Every test starts the real binary several times; on a shared two-core machine each start takes seconds.
describe('one process per data directory, on the embedded database', { timeout: 120_000 }, () => {
  let dataDir: string;
  const running: RunningFirebell[] = [];
  const start = (env: Record<string, string> = {}) => {
    const bot = new RunningFirebell({ DATA_DIR: dataDir, ...env });
    running.push(bot);
    return bot;
  };
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'firebell-datadir-'));
  });
  afterEach(async () => {
    for (const bot of running.splice(0)) if (bot.child.exitCode === null && bot.child.signalCode === null) await bot.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  test('firebell export while the bot runs asks the bot, and every acknowledged entry survives a crash', async () => {
    const bot = start();
    expect(await bot.say('/incident start Export during the incident --at "2026-03-01 10:00" --tz UTC')).toMatch(/^INC-1 opened/);
    for (const text of range(1, 20)) expect(await bot.say(`/incident log ${text}`)).toMatch(/^Logged #\d+ on INC-1/);

    const during = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    expect(during.stderr).toBe('');
    expect(during.code).toBe(0);
    expect(during.stdout).toMatch(/^# INC-1: Export during the incident\n/);
    expect(notes(during.stdout)).toEqual(range(1, 20));
    // The bot wrote the draft to a file for the CLI, which removed it once printed.
    expect(await readdir(join(dataDir, 'exports'))).toEqual([]);

    for (const text of range(21, 30)) expect(await bot.say(`/incident log ${text}`)).toMatch(/^Logged #\d+ on INC-1/);
    await bot.kill('SIGKILL');

    const after = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    expect(after.stderr).toBe('');
    expect(notes(after.stdout)).toEqual(range(1, 30));
  });

  test('a second bot on the same DATA_DIR is refused in one line, and changes nothing', async () => {
    const first = start();
    expect(await first.say('/incident start Only one writer --at "2026-03-01 10:00" --tz UTC')).toMatch(/^INC-1 opened/);
    // Frozen, the first bot's own background work (notices, the status site) cannot change files
    // while the second one tries: any change is the second's.
    first.child.kill('SIGSTOP');
    const before = await fileDigests(dataDir);

    const second = await runFirebell([], { DATA_DIR: dataDir }, '/incident log typed at the second bot\n');
    expect(await fileDigests(dataDir)).toEqual(before);
    first.child.kill('SIGCONT');
    expect(second.stderr).toBe(`firebell: DATA_DIR ${dataDir} is in use by firebell pid ${first.pid}; stop it first, or give this one its own DATA_DIR\n`);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');

    expect(await first.say('/incident log typed at the first bot')).toMatch(/^Logged #2 on INC-1/);
    expect(await first.end()).toEqual({ code: 0, signal: null });
    // A clean stop gives the directory back.
    expect(existsSync(join(dataDir, 'firebell.lock'))).toBe(false);
    expect(existsSync(join(dataDir, 'firebell.sock'))).toBe(false);
    const exported = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    expect(notes(exported.stdout)).toEqual(['typed at the first bot']);
  });

  test('firebell migrate is refused while the bot runs', async () => {
    const bot = start();
    await bot.say('list');
    const r = await runFirebell(['migrate'], { DATA_DIR: dataDir });
    expect(r.stderr).toBe(`firebell migrate: DATA_DIR ${dataDir} is in use by firebell pid ${bot.pid}; stop it first (the bot applies migrations when it starts)\n`);
    expect(r.code).toBe(1);
  });

  test('firebell export says so in one line when the running bot cannot be asked', async () => {
    const bot = start();
    await bot.say('/incident start Socket removed --at "2026-03-01 10:00" --tz UTC');
    const socket = join(dataDir, 'firebell.sock');
    await unlink(socket);
    const r = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    expect(r.stderr).toBe(`firebell export: DATA_DIR ${dataDir} is in use by firebell pid ${bot.pid}, which cannot be asked at ${socket} (ENOENT)\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });

  test('the control socket can be opened by its owner only', async () => {
    const bot = start();
    await bot.say('list');
    expect((await stat(join(dataDir, 'firebell.sock'))).mode & 0o777).toBe(0o600);
  });

  test('a data directory too deep for a socket address gets its control socket in the temporary directory', async () => {
    const deep = join(dataDir, 'a-directory-name-long-enough'.repeat(3), 'to-push-the-socket-path-over-the-limit');
    const bot = start({ DATA_DIR: deep });
    await bot.say('/incident start Deep --at "2026-03-01 10:00" --tz UTC');
    const lock = JSON.parse(await readFile(join(deep, 'firebell.lock'), 'utf8')) as { socket: string };
    expect(lock.socket.startsWith(join(tmpdir(), 'firebell-'))).toBe(true);
    expect((await stat(lock.socket)).mode & 0o777).toBe(0o600);
    const r = await runFirebell(['export', 'INC-1'], { DATA_DIR: deep });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^# INC-1: Deep\n/);
    expect(await bot.end()).toEqual({ code: 0, signal: null });
    expect(existsSync(lock.socket)).toBe(false);
  });

  test('a lock left by a killed bot is taken over at the next start', async () => {
    const bot = start();
    await bot.say('/incident start Killed --at "2026-03-01 10:00" --tz UTC');
    await bot.kill('SIGKILL');
    expect(existsSync(join(dataDir, 'firebell.lock'))).toBe(true);
    const restart = await runFirebell([], { DATA_DIR: dataDir }, '/incident log after the restart\n');
    expect(restart.stderr).toBe('');
    // Postgres's sequences skip ahead after a crash, so the entry's number is not #2.
    expect(restart.stdout).toMatch(/^Logged #\d+ on INC-1/);
    expect(restart.code).toBe(0);
    expect(existsSync(join(dataDir, 'firebell.lock'))).toBe(false);
  });

  test.runIf(process.platform === 'linux')('a lock naming a live pid is taken over only if that pid started at another time (it was reused)', async () => {
    const lock = join(dataDir, 'firebell.lock');
    // This test's own process stands in for the holder: alive, and not the bot's own pid.
    const holder = { pid: process.pid, startTime: startTimeOf(process.pid), command: 'run', socket: null };
    await writeFile(lock, JSON.stringify(holder));
    const held = await runFirebell([], { DATA_DIR: dataDir }, 'list\n');
    expect(held.stderr).toBe(`firebell: DATA_DIR ${dataDir} is in use by firebell pid ${process.pid}; stop it first, or give this one its own DATA_DIR\n`);
    expect(held.code).toBe(1);
    expect(JSON.parse(await readFile(lock, 'utf8'))).toEqual(holder);

    await writeFile(lock, JSON.stringify({ ...holder, startTime: String(Number(holder.startTime) - 1) }));
    const reused = await runFirebell([], { DATA_DIR: dataDir }, 'list\n');
    expect(reused.stderr).toBe('');
    expect(reused.stdout).toBe('No incident is open.\n');
    expect(reused.code).toBe(0);
  });

  test.runIf(process.platform === 'linux')('while a firebell export holds DATA_DIR, the bot, export and migrate each say to try again', async () => {
    // This test's own process stands in for an export that is still reading the database.
    const holder = { pid: process.pid, startTime: startTimeOf(process.pid), command: 'export', socket: null };
    await writeFile(join(dataDir, 'firebell.lock'), JSON.stringify(holder));
    const busy = `DATA_DIR ${dataDir} is in use by firebell pid ${process.pid} (firebell export); try again when it has finished\n`;
    for (const [args, prefix] of [[[], 'firebell'], [['export', 'INC-1'], 'firebell export'], [['migrate'], 'firebell migrate']] as const) {
      const r = await runFirebell([...args], { DATA_DIR: dataDir }, 'list\n');
      expect(r.stderr).toBe(`${prefix}: ${busy}`);
      expect(r.code).toBe(1);
    }
  });

  test('DATA_DIR naming a file, or a place nothing can be written, stops start-up with one line and status 2', async () => {
    const file = join(dataDir, 'not-a-directory');
    await writeFile(file, 'x');
    const onFile = await runFirebell([], { DATA_DIR: file }, '');
    expect(onFile.stderr).toBe(`firebell: DATA_DIR ${file} is a file, not a directory: set DATA_DIR to a directory firebell can write to\n`);
    expect(onFile.code).toBe(2);

    const onProc = await runFirebell([], { DATA_DIR: '/proc' }, '');
    expect(onProc.stderr).toMatch(/^firebell: DATA_DIR \/proc is not writable \(E[A-Z]+\): set DATA_DIR to a directory firebell can write to\n$/);
    expect(onProc.code).toBe(2);

    const underProc = await runFirebell(['export', 'INC-1'], { DATA_DIR: '/proc/firebell' });
    expect(underProc.stderr).toMatch(/^firebell: DATA_DIR \/proc\/firebell cannot be created \(E[A-Z]+\): set DATA_DIR to a directory firebell can write to\n$/);
    expect(underProc.code).toBe(2);
  });
});

const postgres = backends.find((b) => b.name === 'postgres');

describe.runIf(postgres)('one process per data directory, on Postgres', { timeout: 120_000 }, () => {
  test('bots on one database each need their own DATA_DIR; export and migrate need none', async () => {
    const target = await postgres!.create();
    const otherDir = await mkdtemp(join(tmpdir(), 'firebell-datadir-'));
    const first = new RunningFirebell(target.settings);
    const second = new RunningFirebell({ ...target.settings, DATA_DIR: otherDir });
    try {
      expect(await first.say('/incident start Shared database --at "2026-03-01 10:00" --tz UTC')).toMatch(/^INC-1 opened/);
      expect(await second.say('/incident log INC-1 from the second bot')).toMatch(/^Logged #2 on INC-1/);

      const third = await runFirebell([], target.settings, 'list\n');
      expect(third.stderr).toBe(`firebell: DATA_DIR ${target.settings.DATA_DIR} is in use by firebell pid ${first.pid}; give each process its own DATA_DIR\n`);
      expect(third.code).toBe(1);

      const exported = await runFirebell(['export', 'INC-1'], target.settings);
      expect(exported.stderr).toBe('');
      expect(notes(exported.stdout)).toEqual(['from the second bot']);
      const migrated = await runFirebell(['migrate'], target.settings);
      expect(migrated).toMatchObject({ code: 0, stdout: 'migrations are up to date\n' });
    } finally {
      await first.end();
      await second.end();
      await rm(otherDir, { recursive: true, force: true });
      await target.drop();
    }
  });
});
