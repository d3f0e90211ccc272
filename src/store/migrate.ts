import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Thrown when the migrations on disk disagree with what the database has recorded. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(file);
    if (!match) throw new MigrationError(`migrations/${file}: expected a name like 0001_description.sql`);
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new MigrationError(`migrations/${file}: version ${match[1]} is used twice`);
    }
    migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/** A fingerprint of the whole migration set: a PGlite template is only reused for the same set. */
export function migrationSetChecksum(migrations: readonly Migration[]): string {
  const h = createHash('sha256');
  for (const m of migrations) h.update(`${m.name}:${m.checksum}\n`);
  return h.digest('hex');
}

// Any constant works; it keeps two bot instances from migrating the same database at once.
const MIGRATION_LOCK = 4_711_001;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies pending migrations in order, each in its own transaction, and records each with its
 * checksum. Safe to run twice and from two processes at once. Refuses to run when a file that
 * was already applied has changed since: migrations are forward-only.
 */
export async function migrate(db: Db, migrations?: readonly Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  // Under the lock, so that two instances starting on an empty database do not both create it.
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`create table if not exists schema_migrations (
      version int primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
  });
  const known = new Set(all.map((m) => m.version));
  const recorded = await db.query<AppliedRow>('select version, name, checksum from schema_migrations order by version');
  const unknown = recorded.rows.filter((r) => !known.has(r.version));
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this firebell does not know (${unknown.map((r) => r.name).join(', ')}): run a newer firebell`,
    );
  }
  // Every one applied as it is now (each start after the first): nothing to take the lock for.
  const recordedChecksums = new Map(recorded.rows.map((r) => [r.version, r.checksum]));
  if (all.every((m) => recordedChecksums.get(m.version) === m.checksum)) return [];
  const applied: string[] = [];
  for (const m of all) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const { rows } = await tx.query<AppliedRow>(
        'select version, name, checksum from schema_migrations where version = $1',
        [m.version],
      );
      const row = rows[0];
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new MigrationError(
            `migrations/${m.name} was changed after it was applied (recorded checksum ${row.checksum.slice(0, 12)}, file ${m.checksum.slice(0, 12)}); add a new migration instead`,
          );
        }
        return false;
      }
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
