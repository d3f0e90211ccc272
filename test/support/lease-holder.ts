// A firebell-like process that takes a lease and keeps it until it is killed: says "held" on stdout.
import pino from 'pino';
import { PgAdvisoryLease } from '../../src/store/lease.ts';

const [connectionString, name] = process.argv.slice(2);
const lease = new PgAdvisoryLease({ connectionString: connectionString!, name: name!, log: pino({ level: 'silent' }) });
await lease.acquire();
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
