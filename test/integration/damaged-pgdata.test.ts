import { existsSync, watch } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunningFirebell, runFirebell } from '../support/cli.ts';
import { fileDigests } from '../support/files.ts';

const ADVICE = 'restore it from a backup, or move it aside to start afresh';

// A data directory with an incident in it, damaged in the ways disks and people damage them.
describe('a damaged embedded database', { timeout: 120_000 }, () => {
  let root: string;
  let healthy: string;
  let cases = 0;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'firebell-damaged-'));
    healthy = join(root, 'healthy');
    const made = await runFirebell([], { DATA_DIR: healthy }, '/incident start Disk trouble --at "2026-03-01 10:00" --tz UTC\n');
    expect(made.code).toBe(0);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** A copy of the healthy data directory, damaged by hurt(pgdata). */
  async function damagedCopy(hurt: (pgdata: string) => Promise<void>): Promise<{ dataDir: string; pgdata: string }> {
    const dataDir = join(root, `case-${++cases}`);
    await cp(healthy, dataDir, { recursive: true });
    const pgdata = join(dataDir, 'pgdata');
    await hurt(pgdata);
    return { dataDir, pgdata };
  }

  async function firstWalSegment(pgdata: string): Promise<string> {
    const name = (await readdir(join(pgdata, 'pg_wal'))).filter((n) => /^[0-9A-F]{24}$/.test(n)).sort()[0]!;
    return join(pgdata, 'pg_wal', name);
  }

  test.each([
    ['PG_VERSION is removed', (pgdata: string) => unlink(join(pgdata, 'PG_VERSION')), 'is damaged (PG_VERSION is missing)'],
    ['global/pg_control is removed', (pgdata: string) => unlink(join(pgdata, 'global', 'pg_control')), 'is damaged (global/pg_control is missing)'],
    [
      'a WAL segment is cut short',
      async (pgdata: string) => truncate(await firstWalSegment(pgdata), 1000),
      /is damaged \(pg_wal\/[0-9A-F]{24} is cut short at 1000 bytes\)/,
    ],
    [
      'global/pg_control is overwritten (PGlite itself refuses it)',
      (pgdata: string) => writeFile(join(pgdata, 'global', 'pg_control'), Buffer.alloc(8192)),
      /cannot be opened \(PGlite: [^)]+\)/,
    ],
  ])('when %s, start-up stops with one line naming the directory, and no file in it changes', async (_name, hurt, problem) => {
    const { dataDir, pgdata } = await damagedCopy(hurt);
    const before = await fileDigests(pgdata);
    for (const args of [[], ['export', 'INC-1'], ['migrate']]) {
      const r = await runFirebell(args, { DATA_DIR: dataDir }, 'list\n');
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toContain(`firebell: the embedded database in ${pgdata} `);
      expect(r.stderr).toMatch(problem);
      expect(r.stderr).toContain(`: ${ADVICE}\n`);
      expect(r.code).toBe(1);
      expect(await fileDigests(pgdata)).toEqual(before);
    }
  });

  test('an empty pgdata is made afresh', async () => {
    const dataDir = join(root, 'empty');
    await mkdir(join(dataDir, 'pgdata'), { recursive: true });
    const r = await runFirebell([], { DATA_DIR: dataDir }, 'list\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('No incident is open.\n');
    expect(r.code).toBe(0);
  });

  test('a start killed while it makes the database leaves none half-made, and the next start makes it', async () => {
    const dataDir = join(root, 'interrupted');
    await mkdir(dataDir);
    const bot = new RunningFirebell({ DATA_DIR: dataDir });
    // Killed as soon as the database begins to appear (copying the template takes a second or more).
    await new Promise<void>((resolve) => {
      const watcher = watch(dataDir, (_event, name) => {
        if (name !== null && name.startsWith('pgdata')) {
          watcher.close();
          resolve();
        }
      });
    });
    await bot.kill('SIGKILL');
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);

    const restart = await runFirebell([], { DATA_DIR: dataDir }, '/incident start After the interruption --at "2026-03-01 10:00" --tz UTC\n');
    expect(restart.stderr).toBe('');
    expect(restart.stdout).toMatch(/^INC-1 opened: After the interruption/);
    expect(restart.code).toBe(0);
    expect(existsSync(join(dataDir, 'pgdata.partial'))).toBe(false);
  });
});
