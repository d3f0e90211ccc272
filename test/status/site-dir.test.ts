import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
