/**
 * One database interface, two backends (DESIGN §3): Postgres through `pg` when DATABASE_URL is set,
 * PGlite in DATA_DIR when it is not. Both run the same migrations and the same SQL.
 */
export type Row = Record<string, unknown>;

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  /** One statement; chat text only ever arrives here as a parameter. */
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements, no parameters: migrations only. */
  exec(sql: string): Promise<void>;
  /**
   * A write whose result nobody reads. In a transaction it runs as the transaction commits, in the
   * same call into the database as the commit where the backend allows it (PGlite), and its
   * failure fails the commit; outside one it runs at once.
   */
  writeAtCommit(sql: string, params: readonly unknown[]): Promise<void>;
}

export type Backend = 'postgres' | 'pglite';

export interface Db extends Queryable {
  readonly backend: Backend;
  /** Runs fn in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Makes everything committed so far survive a power loss. Postgres already has (it fsyncs on
   * commit); PGlite never fsyncs, so its files are checkpointed and synced by hand.
   */
  makeDurable(): Promise<void>;
  close(): Promise<void>;
}

/** True when an error means the database could not be reached, as opposed to a bad statement. */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004'].includes(code)) {
    return true;
  }
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i.test(message);
}
