import { PGlite, parse as pgliteParse, protocol } from '@electric-sql/pglite';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db, QueryResult, Queryable } from './db.ts';
import { fsyncPath } from './fsync.ts';
import { lastCommandTag, readAnswer, throwIfError, type AnswerField } from './pglite-answer.ts';

const { serialize } = protocol;

// PGlite's syncToFs flushes an in-browser file system (IndexedDB, OPFS); on a data directory or in
// memory it does nothing but take a lock. The writes reach the operating system as they are made;
// durability against power loss is the journal's and makeDurable's (below).
const NO_SYNC = { syncToFs: false } as const;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface Statement {
  name: string;
  paramTypes: number[];
  /** Its result columns, described once when it was prepared. */
  fields: AnswerField[];
}

/**
 * Statements run through PGlite's wire protocol, each prepared once under a name (PGlite is one
 * session for the life of the process): PGlite's own query() parses, plans and describes every
 * statement every time, in five calls into WebAssembly; a prepared one is one call, and its answer
 * is read from the bytes (pglite-answer.ts). Not locked: the caller holds PGlite's lock
 * (runExclusive) around it.
 */
class PreparedStatements {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly pglite: PGlite) {}

  /** One statement; `prefix` (a simple-protocol `begin`) is sent in the same call, ahead of it. */
  async query<R>(sql: string, params: readonly unknown[], prefix: readonly Uint8Array[]): Promise<QueryResult<R>> {
    let statement = this.statements.get(sql);
    if (!statement) {
      // The prefix goes with the preparation, the first call.
      statement = await this.prepare(sql, prefix);
      prefix = [];
    }
    const answer = await this.call([...prefix, ...this.run(statement, params)]);
    const { rows, affectedRows } = readAnswer<R>(answer, statement.fields, this.pglite.parsers);
    // PGlite counts only rows written; pg counts rows returned by a select too.
    return { rows, rowCount: Math.max(affectedRows, rows.length) };
  }

  /**
   * Statements whose results nobody reads, then `commit`, in one call: `prefix` first (a `begin`
   * not sent yet). Throws the first statement's error, if one fails; the commit then rolls back.
   */
  async commitWith(prefix: readonly Uint8Array[], writes: readonly { sql: string; params: readonly unknown[] }[]): Promise<void> {
    const parts: Uint8Array[] = [...prefix];
    for (const { sql, params } of writes) {
      const statement = this.statements.get(sql) ?? (await this.prepare(sql, []));
      parts.push(...this.run(statement, params));
    }
    parts.push(serialize.query('commit'));
    // A commit in a transaction that had failed comes back as ROLLBACK: an error, not a commit.
    if (lastCommandTag(await this.call(parts)) === 'ROLLBACK') throw new Error('the transaction was rolled back instead of committed');
  }

  /** Sends the messages in one call into WebAssembly; the answer's bytes, or its first error thrown. */
  private async call(parts: readonly Uint8Array[]): Promise<Buffer> {
    const pieces: Uint8Array[] = [];
    await this.pglite.execProtocolRawStream(concat(parts), {
      ...NO_SYNC,
      // A view into PGlite's memory, reused by the next call: copied.
      onRawData: (bytes) => pieces.push(bytes.slice()),
    });
    const answer = Buffer.concat(pieces);
    throwIfError(answer);
    return answer;
  }

  /** The messages that run a prepared statement; its columns were described when it was prepared. */
  private run(statement: Statement, params: readonly unknown[]): Uint8Array[] {
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const toText = this.pglite.serializers[statement.paramTypes[i] ?? 0];
      return toText ? toText(v) : String(v);
    });
    return [serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()];
  }

  private async prepare(sql: string, prefix: readonly Uint8Array[]): Promise<Statement> {
    const name = `firebell_${this.statements.size + 1}`;
    const { messages } = await this.pglite.execProtocol(
      concat([...prefix, serialize.parse({ name, text: sql, types: [] }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      NO_SYNC,
    );
    const description = messages.find((m) => m instanceof protocol.messages.RowDescriptionMessage);
    const statement: Statement = {
      name,
      paramTypes: pgliteParse.parseDescribeStatementResults(messages),
      fields: description?.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) ?? [],
    };
    this.statements.set(sql, statement);
    return statement;
  }

  /** Statements without parameters, in the simple protocol (migrations). */
  async exec(sql: string): Promise<void> {
    await this.pglite.execProtocol(serialize.query(sql), NO_SYNC);
  }
}

export interface PgliteDbOptions {
  /** A data directory, or undefined for an in-memory database. */
  dataDir?: string;
  /** A gzipped data directory (`dumpDataDir('gzip')`) to start an empty directory from. */
  template?: Blob;
}

/**
 * Postgres's default 128 MB of shared buffers is sized for a server. An incident bot's working set
 * is far smaller, the WebAssembly heap would hold all of it resident, and setting it up is most of
 * PGlite's start (its own open of a data directory, on one machine: 0.92 s with 128 MB, 0.65 s with
 * 32 MB, 0.51 s with 8 MB). Pages beyond it are read from the operating system's cache, where
 * PGlite's files sit anyway.
 */
export const PGLITE_START_PARAMS: readonly string[] = [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB'];

export async function openPgliteDb(opts: PgliteDbOptions): Promise<Db> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir, {
    startParams: [...PGLITE_START_PARAMS],
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
  const prepared = new PreparedStatements(pglite);
  const BEGIN = serialize.query('begin');
  // The wire protocol does not check, as PGlite's query() does, that the database is still open.
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> =>
    pglite.runExclusive(() => (pglite.closed ? Promise.reject(new Error('PGlite is closed')) : fn()));
  return {
    backend: 'pglite',
    query: <R>(sql: string, params: readonly unknown[] = []) => exclusive(() => prepared.query<R>(sql, params, [])),
    exec: (sql) => exclusive(() => prepared.exec(sql)),
    writeAtCommit: async (sql, params) => {
      await exclusive(() => prepared.query(sql, params, []));
    },
    // PGlite is one session: the transaction holds its lock throughout, so no other query can slip
    // into the middle of ours. `begin` travels with the first statement, and the writes left for
    // the commit travel with it: a command's transaction is two calls into WebAssembly.
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      exclusive(async () => {
        let begun = false;
        const opening = (): Uint8Array[] => {
          if (begun) return [];
          begun = true;
          return [BEGIN];
        };
        const atCommit: { sql: string; params: readonly unknown[] }[] = [];
        const tx: Queryable = {
          query: <R>(sql: string, params: readonly unknown[] = []) => prepared.query<R>(sql, params, opening()),
          exec: (sql) => prepared.exec(opening().length > 0 ? `begin; ${sql}` : sql),
          writeAtCommit: async (sql, params) => {
            atCommit.push({ sql, params });
          },
        };
        try {
          const value = await fn(tx);
          if (begun || atCommit.length > 0) await prepared.commitWith(opening(), atCommit);
          return value;
        } catch (err) {
          if (begun) await pglite.execProtocol(serialize.query('rollback'), { ...NO_SYNC, throwOnError: false });
          throw err;
        }
      }),
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
