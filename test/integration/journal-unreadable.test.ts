import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runFirebell } from '../support/cli.ts';
import { backends, type TestDatabase } from '../support/databases.ts';

// One poison event must not stop the line (DESIGN §1): a damaged journal line is set aside, the rest replays.
describe.each(backends)('the firebell binary with an unreadable journal line on $name', (backend) => {
  let target: TestDatabase;
  beforeEach(async () => {
    target = await backend.create();
  });
  afterEach(() => target.drop());

  const journaled = (seq: number, verb: string, text: string) =>
    JSON.stringify({
      s: seq,
      c: {
        verb,
        text,
        actor: { id: 'sam', name: 'sam' },
        channel: { platform: 'shell', id: 'shell' },
        eventId: `shell-before-the-crash-${seq}`,
        receivedAt: '2026-03-01T09:10:00.000Z',
      },
    }) + '\n';

  test('starts, records the good commands on either side, and sets the bad line aside', async () => {
    const env = { ...target.settings };
    const journalDir = join(env.DATA_DIR, 'journal');
    await mkdir(journalDir, { recursive: true });
    await writeFile(
      join(journalDir, 'commands.jsonl'),
      journaled(1, 'start', 'Disk full on db-3 --at "2026-03-01 09:00" --tz UTC') +
        '\u0000\u0000garbage}{\n' +
        journaled(3, 'log', '09:05 Freed 20 GB of WAL archives'),
    );

    const run = await runFirebell([], env, '');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`journal line 2 is unreadable (not JSON); set aside in ${join(journalDir, 'unreadable.jsonl')}`);
    expect(run.stderr).not.toContain('    at ');
    expect(run.stdout).toContain('INC-1 opened: Disk full on db-3 · SEV3 · started 2026-03-01 09:00 UTC');
    expect(run.stdout).toContain('Logged #2 on INC-1 at 2026-03-01 09:05 UTC');

    const setAside = (await readFile(join(journalDir, 'unreadable.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(setAside.map((l) => JSON.parse(l) as unknown)).toMatchObject([{ line: 2, reason: 'not JSON', raw: '\u0000\u0000garbage}{' }]);

    const exported = await runFirebell(['export', 'INC-1'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('| 09:00 | opened | Incident opened: Disk full on db-3 (SEV3) | sam |');
    expect(exported.stdout).toContain('| 09:05 | note | Freed 20 GB of WAL archives | sam |');
  });
});
