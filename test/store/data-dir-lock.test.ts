import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { lockDataDir } from '../../src/store/data-dir-lock.ts';

const CONTENDER = fileURLToPath(new URL('../support/lock-contender.ts', import.meta.url));

/** One contender process: send it a word, read its one-line answer. */
class Contender {
  private readonly child: ChildProcessWithoutNullStreams;
  private out = '';
  private waiters: (() => void)[] = [];
  private answered = 0;

  constructor(dataDir: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, dataDir], { stdio: 'pipe' });
    this.child.stdout.on('data', (d: Buffer) => {
      this.out += d.toString('utf8');
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async next(): Promise<string> {
    while (this.out.split('\n').length - 1 <= this.answered) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.out.split('\n')[this.answered++]!;
  }

  send(word: string): void {
    this.child.stdin.write(`${word}\n`);
  }

  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.child.on('close', resolve));
    this.child.stdin.end();
    await closed;
  }
}

/** The pid of a process that has come and gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

function startTimeOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

describe('the data directory lock', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'firebell-lock-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  test('a directory held here is refused to a second taker, and free again once released', async () => {
    const first = await lockDataDir(dataDir, { command: 'run', socket: '/tmp/x.sock' });
    if (!first.ok) throw new Error('the first taker was refused');
    const second = await lockDataDir(dataDir, { command: 'export', socket: null });
    expect(second).toEqual({ ok: false, holder: { pid: process.pid, startTime: expect.any(String), command: 'run', socket: '/tmp/x.sock' } });
    await first.lock.release();
    const third = await lockDataDir(dataDir, { command: 'export', socket: null });
    expect(third.ok).toBe(true);
    if (third.ok) await third.lock.release();
  });

  test('a lock naming a process that has exited is taken over', async () => {
    await writeFile(join(dataDir, 'firebell.lock'), JSON.stringify({ pid: await deadPid(), startTime: '1', command: 'run', socket: null }));
    const taken = await lockDataDir(dataDir, { command: 'run', socket: null });
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(join(dataDir, 'firebell.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    if (taken.ok) await taken.lock.release();
  });

  test.runIf(process.platform === 'linux')('a lock naming our own pid that we did not take is stale (a restarted container reuses low pids)', async () => {
    await writeFile(join(dataDir, 'firebell.lock'), JSON.stringify({ pid: process.pid, startTime: startTimeOf(process.pid), command: 'run', socket: null }));
    const taken = await lockDataDir(dataDir, { command: 'run', socket: null });
    expect(taken.ok).toBe(true);
    if (taken.ok) await taken.lock.release();
  });

  test('a damaged lock file holds nothing', async () => {
    await writeFile(join(dataDir, 'firebell.lock'), '{"pid":');
    const taken = await lockDataDir(dataDir, { command: 'run', socket: null });
    expect(taken.ok).toBe(true);
    if (taken.ok) await taken.lock.release();
  });

  test('release leaves alone a lock that is no longer ours', async () => {
    const taken = await lockDataDir(dataDir, { command: 'run', socket: null });
    if (!taken.ok) throw new Error('refused');
    const someoneElse = JSON.stringify({ pid: 1, startTime: null, command: 'run', socket: null });
    await rm(join(dataDir, 'firebell.lock'));
    await writeFile(join(dataDir, 'firebell.lock'), someoneElse);
    await taken.lock.release();
    expect(await readFile(join(dataDir, 'firebell.lock'), 'utf8')).toBe(someoneElse);
  });

  test('of processes that find a stale lock at the same instant, exactly one takes it', { timeout: 120_000 }, async () => {
    // Half of them reach the directory through a symbolic link.
    const linked = join(dataDir, 'linked');
    await mkdir(join(dataDir, 'real'));
    await symlink(join(dataDir, 'real'), linked);
    const contenders = Array.from({ length: 4 }, (_, i) => new Contender(i % 2 === 0 ? join(dataDir, 'real') : linked));
    try {
      for (const c of contenders) expect(await c.next()).toBe('ready');
      const stale = JSON.stringify({ pid: await deadPid(), startTime: '1', command: 'run', socket: null });
      for (let round = 0; round < 20; round++) {
        await writeFile(join(dataDir, 'real', 'firebell.lock'), stale);
        for (const c of contenders) c.send('take');
        const answers = await Promise.all(contenders.map((c) => c.next()));
        expect(answers.filter((a) => a === 'won'), `round ${round}: ${answers.join(', ')}`).toHaveLength(1);
        const winner = contenders[answers.indexOf('won')]!;
        winner.send('release');
        expect(await winner.next()).toBe('released');
      }
    } finally {
      await Promise.all(contenders.map((c) => c.stop()));
    }
  });
});
