// Ceiling for start-up on the embedded default: PGlite's own open of a data directory and one query.
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2]);
await db.query('select 1');
process.stdout.write('ready\n');
await db.close();
