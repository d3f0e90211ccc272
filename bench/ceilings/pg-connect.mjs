// Ceiling for start-up on Postgres: a pg connection and one query.
import pg from 'pg';

const client = new pg.Client({ connectionString: process.argv[2] });
await client.connect();
await client.query('select 1');
process.stdout.write('ready\n');
await client.end();
