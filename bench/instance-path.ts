/**
 * One firebell instance of several on one Postgres, run as its own process by the bench: starts,
 * prints "ready", then for each "go" line on stdin measures `log` from 16 responders in 16
 * channels and prints the result as JSON. The end of stdin stops it.
 */
import { createInterface } from 'node:readline';
import { measureLogPath, startNullBot } from './command-path.ts';

const [url, dataDir, durationMs] = process.argv.slice(2);
if (!url || !dataDir || !durationMs) throw new Error('usage: instance-path.ts <DATABASE_URL> <DATA_DIR> <durationMs>');
const bot = await startNullBot({ DATA_DIR: dataDir, DATABASE_URL: url });
await measureLogPath(bot, { concurrency: 16, channels: 16, durationMs: 300, incidents: 'reuse' }); // warm-up
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'go') continue;
  const r = await measureLogPath(bot, { concurrency: 16, channels: 16, durationMs: Number(durationMs), incidents: 'reuse' });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
await bot.stop();
