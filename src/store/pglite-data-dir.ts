import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StartupError } from '../startup-error.ts';
import type { Db } from './db.ts';
import { openPgliteDb } from './pglite-db.ts';

/**
 * What is in DATA_DIR/pgdata before PGlite is let near it. Only a missing or empty directory is
 * ever made afresh; one that exists but is incomplete holds someone's incidents, so it is left
 * exactly as it is and the operator is told.
 */
export type PgDataState = { kind: 'absent' } | { kind: 'present' } | { kind: 'damaged'; reason: string };

/** PG_CONTROL_FILE_SIZE: the same in every Postgres version. */
const PG_CONTROL_BYTES = 8192;
const WAL_SEGMENT_NAME = /^[0-9A-F]{24}$/;

export async function inspectPgData(dir: string): Promise<PgDataState> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ENOTDIR') return damaged('it is a file, not a directory');
    throw err;
  }
  if (names.length === 0) return { kind: 'absent' };
  if (!names.includes('PG_VERSION')) return damaged('PG_VERSION is missing');
  for (const sub of ['base', 'global', 'pg_wal']) {
    if (!(await sizeOf(join(dir, sub)))?.directory) return damaged(`${sub}/ is missing`);
  }
  const control = await sizeOf(join(dir, 'global', 'pg_control'));
  if (!control) return damaged('global/pg_control is missing');
  if (control.bytes !== PG_CONTROL_BYTES) return damaged(`global/pg_control is ${control.bytes} bytes, not ${PG_CONTROL_BYTES}`);
  // Postgres makes every WAL segment full size before writing to it; a shorter one was cut off.
  const segments: { name: string; bytes: number }[] = [];
  for (const name of (await readdir(join(dir, 'pg_wal'))).filter((n) => WAL_SEGMENT_NAME.test(n)).sort()) {
    segments.push({ name, bytes: (await sizeOf(join(dir, 'pg_wal', name)))?.bytes ?? 0 });
  }
  if (segments.length === 0) return damaged('pg_wal/ holds no WAL segment');
  const segmentBytes = Math.max(...segments.map((s) => s.bytes));
  const short = segments.find((s) => s.bytes !== segmentBytes || !isWalSegmentSize(s.bytes));
  if (short) return damaged(`pg_wal/${short.name} is cut short at ${short.bytes} bytes`);
  return { kind: 'present' };
}

/**
 * Opens an existing data directory, or says in one line that it cannot. A failed start must not
 * change the directory either: PGlite writes postmaster.pid before it finds the damage and leaves
 * it behind, so what was there before is put back.
 */
export async function openPgData(dir: string): Promise<Db> {
  const pidFile = join(dir, 'postmaster.pid');
  const pidBefore = await readFile(pidFile).catch(() => null);
  try {
    return await openPgliteDb({ dataDir: dir });
  } catch (err) {
    if (pidBefore === null) await rm(pidFile, { force: true });
    else await writeFile(pidFile, pidBefore);
    // WebAssembly's abort says "Aborted(). Build with -sASSERTIONS for more info.": only the first part helps.
    const why = (err instanceof Error ? err.message : String(err)).split(/\.\s|\n/)[0];
    throw new StartupError(`the embedded database in ${dir} cannot be opened (PGlite: ${why}): restore it from a backup, or move it aside to start afresh`);
  }
}

export function describeDamage(dir: string, reason: string): string {
  return `the embedded database in ${dir} is damaged (${reason}): restore it from a backup, or move it aside to start afresh`;
}

/** Postgres's IsValidWalSegSize: a power of two from 1 MiB to 1 GiB. */
function isWalSegmentSize(bytes: number): boolean {
  return bytes >= 2 ** 20 && bytes <= 2 ** 30 && (bytes & (bytes - 1)) === 0;
}

function damaged(reason: string): PgDataState {
  return { kind: 'damaged', reason };
}

async function sizeOf(path: string): Promise<{ bytes: number; directory: boolean } | null> {
  try {
    const st = await stat(path);
    return { bytes: st.size, directory: st.isDirectory() };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
