import pg from 'pg';
import type { Db, QueryResult, Queryable } from './db.ts';

export interface PgDbOptions {
  connectionString: string;
  maxConnections?: number;
  onIdleError?: (err: Error) => void;
}

// Statements with parameters are prepared once per connection, under a name derived from their
// text: the server then skips parsing and planning them on every command.
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `firebell_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** A statement left for the commit, and its parameters. */
type Deferred = { sql: string; params: readonly unknown[] };

/** `atCommit` collects the writes left for the commit; without it (no transaction), they run at once. */
function wrap(client: pg.Pool | pg.PoolClient, atCommit?: Deferred[]): Queryable {
  const queryable: Queryable = {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const r =
        params && params.length > 0
          ? await client.query({ name: statementName(sql), text: sql, values: params as unknown[] })
          : await client.query(sql);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
    async writeAtCommit(sql, params) {
      if (atCommit) atCommit.push({ sql, params });
      else await queryable.query(sql, params);
    },
  };
  return queryable;
}

export async function openPgDb(opts: PgDbOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
  });
  // A dropped idle connection (database restart) is reported here; unhandled, it would crash the bot.
  pool.on('error', (err) => opts.onIdleError?.(err));
  const direct = wrap(pool);
  // Fail at start-up, with the driver's own message, rather than on the first command.
  await direct.query('select 1');
  return {
    backend: 'postgres',
    query: direct.query,
    exec: direct.exec,
    writeAtCommit: direct.writeAtCommit,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A connection can drop while it is checked out but between queries; pg then emits 'error'
      // on the client, which would crash the process if nothing listened. The next query fails
      // anyway, and the client is discarded on release.
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        await client.query('begin');
        const atCommit: Deferred[] = [];
        const tx = wrap(client, atCommit);
        const value = await fn(tx);
        // Postgres takes one statement at a time: the writes left for the commit go just before it.
        for (const { sql, params } of atCommit) await tx.query(sql, params);
        await client.query('commit');
        return value;
      } catch (err) {
        try {
          await client.query('rollback');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
        }
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async makeDurable() {},
    async close() {
      await pool.end();
    },
  };
}
