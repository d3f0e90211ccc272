/**
 * Run as its own process by the bench, so its RSS is the bot's alone: records N timeline entries in
 * one incident through the whole command path, then prints {"recorded", "rssBytes"} as JSON.
 * DATABASE_URL "-" means the embedded PGlite database in DATA_DIR.
 */
import { measureLogPath, startNullBot } from './command-path.ts';

const [url, dataDir, count] = process.argv.slice(2);
if (!url || !dataDir || !count) throw new Error('usage: scale-fill.ts <DATABASE_URL|-> <DATA_DIR> <entries>');
const bot = await startNullBot(url === '-' ? { DATA_DIR: dataDir } : { DATA_DIR: dataDir, DATABASE_URL: url });
let recorded = 0;
while (recorded < Number(count)) recorded += (await measureLogPath(bot, { concurrency: 16, channels: 1, durationMs: 1_000, incidents: 'reuse' })).count;
global.gc?.();
const rssBytes = process.memoryUsage().rss;
await bot.stop();
process.stdout.write(`${JSON.stringify({ recorded, rssBytes })}\n`);
