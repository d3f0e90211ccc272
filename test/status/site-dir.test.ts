import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startTestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';

test('a STATUS_SITE_DIR that cannot be written stops the start with one line, and leaves DATA_DIR free for the next start', async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'firebell-site-dir-'));
  const database = await backends[0]!.create();
  try {
    await writeFile(join(scratch, 'a-file'), 'not a directory');
    await expect(startTestBot(backends[0]!, { database, env: { STATUS_SITE_DIR: join(scratch, 'a-file', 'site') } })).rejects.toThrow(
      `the status site cannot be written in ${join(scratch, 'a-file', 'site')} (ENOTDIR): set STATUS_SITE_DIR to a directory firebell may write`,
    );
    const bot = await startTestBot(backends[0]!, { database, env: { STATUS_SITE_DIR: join(scratch, 'site') } });
    expect(await bot.say('list')).toBe('No incident is open.');
    await bot.stop();
  } finally {
    await database.drop();
    await rm(scratch, { recursive: true, force: true });
  }
});

test('a site started on an existing record without a snapshot is rebuilt from the database once', async () => {
  const database = await backends[0]!.create();
  const siteDir = join(database.settings.DATA_DIR, 'status-site');
  try {
    const first = await startTestBot(backends[0]!, { database, now: '2026-03-01T10:00:00Z' });
    await first.say('start Checkout down --sev 2');
    await first.say('status investigating Payments fail');
    await first.say('status monitoring Fixed, watching');
    await first.stop();
    await rm(join(database.settings.DATA_DIR, 'status'), { recursive: true, force: true });
    await rm(siteDir, { recursive: true, force: true });

    const again = await startTestBot(backends[0]!, { database, now: '2026-03-01T11:00:00Z' });
    const status = JSON.parse(await readFile(join(siteDir, 'status.json'), 'utf8'));
    expect(status.incidents.map((i: { id: string; status: string; incident_updates: { body: string }[] }) => [i.id, i.status, i.incident_updates.map((u) => u.body)])).toEqual([
      ['INC-1', 'monitoring', ['Fixed, watching', 'Payments fail']],
    ]);
    await again.stop();
  } finally {
    await database.drop();
  }
});
