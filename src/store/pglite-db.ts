import { PGlite } from '@electric-sql/pglite';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db, QueryResult, Queryable } from './db.ts';
import { fsyncPath } from './fsync.ts';

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const r = await q.query<R>(sql, params as unknown[] | undefined);
      // PGlite counts only rows written; pg counts rows returned by a select too.
      return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
  };
}

export interface PgliteDbOptions {
  /** A data directory, or undefined for an in-memory database. */
  dataDir?: string;
  /** A gzipped data directory (`dumpDataDir('gzip')`) to start an empty directory from. */
  template?: Blob;
}

export async function openPgliteDb(opts: PgliteDbOptions): Promise<Db> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir, {
    // Postgres's default 128 MB of shared buffers is sized for a server; an incident bot's working
    // set is far smaller, and the WebAssembly heap would hold all of it resident.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'],
    ...(opts.template ? { loadDataDir: opts.template } : {}),
  });
  return fromPglite(pglite, opts.dataDir);
}

/** fsync every file and directory under dir: what PGlite's own fsync (a no-op under WebAssembly) skips. */
async function syncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(path);
    else if (entry.isFile()) await fsyncPath(path);
  }
  await fsyncPath(dir);
}

function fromPglite(pglite: PGlite, dataDir?: string): Db {
  const direct = wrap(pglite);
  return {
    backend: 'pglite',
    query: direct.query,
    exec: direct.exec,
    // PGlite is one session: its transaction() holds the instance's lock, so no other query can
    // slip into the middle of ours.
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => pglite.transaction((tx) => fn(wrap(tx))),
    async makeDurable() {
      if (!dataDir) return;
      await pglite.exec('checkpoint');
      await syncTree(dataDir);
    },
    async close() {
      await pglite.close();
    },
  };
}
