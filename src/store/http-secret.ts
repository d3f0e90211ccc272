import { randomBytes } from 'node:crypto';
import type { Queryable } from './db.ts';

const SECRET_BYTES = 32;

/**
 * The database's HTTP secret, made on first use. Insert-if-absent, then read: when two instances
 * start at once on one database, the loser's insert waits for the winner's and does nothing, and
 * both read the winner's secret.
 */
export async function loadHttpSecret(db: Queryable): Promise<Buffer> {
  await db.query('insert into http_secret (id, secret) values (1, $1) on conflict (id) do nothing', [randomBytes(SECRET_BYTES)]);
  const { rows } = await db.query<{ secret: Uint8Array }>('select secret from http_secret where id = 1');
  const row = rows[0];
  if (!row) throw new Error('http_secret has no row right after inserting one');
  // pg returns a Buffer, PGlite a Uint8Array.
  return Buffer.from(row.secret);
}
