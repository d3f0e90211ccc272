// Ceiling for memory on the embedded default: PGlite alone, with a data directory open and read,
// started as firebell starts it (argv[3]: its start parameters, as JSON).
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2], { startParams: JSON.parse(process.argv[3]) });
await db.query('select count(*) from timeline_entries');
globalThis.gc?.();
process.stdout.write(`${JSON.stringify({ rssBytes: process.memoryUsage().rss })}\n`);
await db.close();
