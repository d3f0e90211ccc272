import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { RunningFirebell, runFirebell, spawnFirebell } from '../support/cli.ts';

const withoutGeneratedAt = (json: string) => ({ ...(JSON.parse(json) as Record<string, unknown>), generatedAt: null });

// The real binary, as a newcomer runs it: no configuration but a data directory.
describe('the firebell binary on the embedded default', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'firebell-cli-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  test('a session piped to stdin is answered line by line, exits 0, and can be exported afterwards', async () => {
    const session = [
      '/incident start Checkout API returning 502s --sev 2 --at "2026-03-01 23:40" --tz Europe/Berlin',
      '/incident detected 23:40 Error-rate alert fired',
      '/incident log 23:52 Rolled back release 4812',
      '/incident log 2026-03-02 00:31 No errors for 30 minutes',
      '/incident resolve 00:35 Fixed',
      '/incident close',
      '',
    ].join('\n');
    const run = await runFirebell([], { DATA_DIR: dataDir }, session);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('INC-1 opened: Checkout API returning 502s · SEV2 · started 2026-03-01 23:40 Europe/Berlin (+01:00)');
    expect(lines[3]).toBe('Logged #4 on INC-1 at 2026-03-02 00:31 Europe/Berlin (+01:00)');
    expect(lines[5]).toBe('INC-1 closed after 55m.');

    const saved = await readFile(join(dataDir, 'postmortems', 'INC-1.md'), 'utf8');
    const exported = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    expect(exported.code).toBe(0);
    // The same draft, but for the moment it was generated.
    const withoutNotice = (md: string) => md.split('\n').filter((l) => !l.startsWith('> **Draft**'));
    expect(withoutNotice(exported.stdout)).toEqual(withoutNotice(saved));
    expect(exported.stdout).toContain('| 23:52 | note | ');
    expect(exported.stdout).toContain('### 2026-03-02 (Monday)');

    const json = await runFirebell(['export', 'INC-1', '--format', 'json'], { DATA_DIR: dataDir });
    expect(JSON.parse(json.stdout)).toMatchObject({ version: 1, ref: 'INC-1', timeZone: 'Europe/Berlin', durationSeconds: 55 * 60 });

    // --out writes the same draft to a file and prints nothing; flags come in either order.
    const out = join(dataDir, 'INC-1.json');
    const toFile = await runFirebell(['export', 'INC-1', '--out', out, '--format=json'], { DATA_DIR: dataDir });
    expect([toFile.code, toFile.stdout, toFile.stderr]).toEqual([0, '', '']);
    expect(withoutGeneratedAt(await readFile(out, 'utf8'))).toEqual(withoutGeneratedAt(json.stdout));
  });

  test('export with an unknown option or no file after --out exits 2 with the usage, writing nothing', async () => {
    for (const args of [['export', 'INC-1', '--bogus'], ['export', 'INC-1', '--out']]) {
      const r = await runFirebell(args, { DATA_DIR: dataDir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('usage: firebell');
    }
  });

  test('export of an unknown incident says so on stderr and exits 1', async () => {
    const r = await runFirebell(['export', 'INC-4'], { DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('firebell export: INC-4 does not exist');
  });

  test('an unknown subcommand exits 2 with the usage', async () => {
    const r = await runFirebell(['frobnicate'], { DATA_DIR: dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('firebell: unknown command "frobnicate"');
    expect(r.stderr).toContain('usage: firebell');
  });

  test('entries acknowledged before the process is killed are there after a restart', async () => {
    const child = spawnFirebell([], { DATA_DIR: dataDir });
    let out = '';
    const waitForLines = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (out.split('\n').length > n) {
            child.stdout.off('data', onData);
            resolve();
          }
        };
        const onData = (d: Buffer) => {
          out += d.toString('utf8');
          check();
        };
        child.stdout.on('data', onData);
        check();
      });
    child.stdin.write('/incident start Disk full on db-3 --at "2026-03-01 10:00" --tz UTC\n');
    await waitForLines(1);
    child.stdin.write('/incident log 10:05 Freed 20 GB of WAL archives\n');
    await waitForLines(2);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const exported = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('| 10:05 | note | ');
    expect(exported.stdout).toContain('Freed 20 GB of WAL archives');
  });

  test('a command in the journal that the database never got is recorded at the next start', async () => {
    // As after a power loss: the fsync'd journal has the command, the database does not.
    await mkdir(join(dataDir, 'journal'), { recursive: true });
    const command = {
      verb: 'start',
      text: 'Replayed from the journal --at "2026-03-01 09:00" --tz UTC',
      actor: { id: 'sam', name: 'sam' },
      channel: { platform: 'shell', id: 'shell' },
      eventId: 'shell-before-the-crash-1',
      receivedAt: '2026-03-01T09:01:00.000Z',
    };
    await writeFile(join(dataDir, 'journal', 'commands.jsonl'), `${JSON.stringify({ s: 1, c: command })}\n`);
    const restart = await runFirebell([], { DATA_DIR: dataDir }, '');
    expect(restart.code).toBe(0);
    expect(restart.stdout).toContain('[recorded now: start Replayed from the journal');
    expect(restart.stdout).toContain('INC-1 opened: Replayed from the journal · SEV3 · started 2026-03-01 09:00 UTC');

    const exported = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    expect(exported.stdout).toContain('| 09:00 | opened | Incident opened: Replayed from the journal (SEV3) | sam |');
    // Replayed once only: a second start finds nothing left to do.
    const again = await runFirebell([], { DATA_DIR: dataDir }, 'list\n');
    expect(again.stdout.trim().split('\n')).toHaveLength(1);
  });

  test('a long export reaches a pipe whole, not cut at the pipe buffer', async () => {
    const bot = await startTestBot(backends[0]!, { now: '2026-03-02T12:00:00Z' });
    await bot.say('start Long night --at "2026-03-01 20:00" --tz UTC');
    await bot.firebell.db.query(
      `insert into timeline_entries (incident_id, occurred_at, recorded_at, author, author_id, kind, text, source_platform, source_event_id)
       select 1, timestamptz '2026-03-01 20:00Z' + n * interval '1 second', now(), 'dana', 'test:dana', 'note', 'entry number ' || n, 'test', 'bulk-' || n
       from generate_series(1, 3000) as n`,
    );
    await bot.firebell.stop();
    const r = await runFirebell(['export', 'INC-1'], { DATA_DIR: bot.settings.DATA_DIR });
    await bot.stop();
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(3000 * 40);
    expect(r.stdout).toContain('| entry number 3000 | dana |');
    expect(r.stdout.trimEnd().endsWith('No entry was edited or deleted.')).toBe(true);
  });

  test.each(['SIGTERM', 'SIGINT'] as const)('%s stops reading: piped commands not yet started are not run, and every one answered is kept', async (signal) => {
    const bot = new RunningFirebell({ DATA_DIR: dataDir });
    const script = ['/incident start Stopped mid-script --at "2026-03-01 10:00" --tz UTC'];
    for (let i = 1; i <= 1000; i++) script.push(`/incident log entry ${i}`);
    bot.child.stdin.write(`${script.join('\n')}\n`);
    await bot.waitFor(() => bot.stdout.includes('Logged #3 '));
    const stopped = await bot.kill(signal);
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(bot.stderr).toBe('');
    const answered = bot.stdout.trimEnd().split('\n').slice(1);
    expect(answered.every((l) => /^Logged #\d+ on INC-1/.test(l))).toBe(true);
    expect(answered.length).toBeLessThan(1000);

    const exported = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    const logged = exported.stdout.split('\n').filter((l) => l.includes('| note |'));
    expect(logged).toHaveLength(answered.length);
    expect(logged.at(-1)).toContain(`| entry ${answered.length} |`);
  });

  test('piped lines end at LF only: a lone CR stays inside its command, the CR of CRLF is dropped', async () => {
    const r = await runFirebell([], { DATA_DIR: dataDir }, '/incident start Pasted notes --at "2026-03-01 10:00" --tz UTC\r\n/incident log first line\rsecond line\n');
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'INC-1 opened: Pasted notes · SEV3 · started 2026-03-01 10:00 UTC',
      expect.stringMatching(/^Logged #2 on INC-1 at /),
    ]);
    const exported = await runFirebell(['export', 'INC-1'], { DATA_DIR: dataDir });
    expect(exported.stdout).toContain('| note | ');
    expect(exported.stdout).toContain('first line<br>second line');
  });

  test('an unreachable database stops start-up with one line that does not show the password', async () => {
    const r = await runFirebell([], { DATA_DIR: dataDir, DATABASE_URL: 'postgres://firebell:hunter2@127.0.0.1:1/firebell' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('firebell: cannot connect to the database at 127.0.0.1:1/firebell: connect ECONNREFUSED 127.0.0.1:1');
  });

  test('an HTTP port already in use stops start-up with a line saying what to do', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = await runFirebell([], { DATA_DIR: dataDir, HTTP_PORT: String(port) }, '');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`firebell: HTTP_PORT ${port} is not available (EADDRINUSE): set HTTP_PORT to a free port, or 0 to turn the HTTP server off`);
      expect(r.stderr).not.toContain('    at ');
    } finally {
      busy.close();
    }
  });
});
