// Ceiling for memory on the embedded default: PGlite alone, with a data directory open and read.
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2], {
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'],
});
await db.query('select count(*) from timeline_entries');
globalThis.gc?.();
process.stdout.write(`${JSON.stringify({ rssBytes: process.memoryUsage().rss })}\n`);
await db.close();
