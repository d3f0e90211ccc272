import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, migrationSetChecksum, type Migration } from './migrate.ts';

/**
 * A new PGlite directory costs an initdb inside WebAssembly (several seconds, DESIGN §10); copying
 * a migrated one costs a fraction of that. The template is made once per migration set and PGlite
 * version (by `npm install`, or by the first test run) and kept in .cache/. It is a plain data
 * directory rather than a `dumpDataDir` tarball: unpacking a tarball through PGlite keeps it in
 * memory, about 180 MB of RSS that the bot never gives back.
 */
const TEMPLATE_ROOT = fileURLToPath(new URL('../../.cache/', import.meta.url));

function pgliteVersion(): string {
  // Its package.json is not exported; it sits one level above the entry point's dist/.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function templateDir(migrations: readonly Migration[], root = TEMPLATE_ROOT): string {
  const key = createHash('sha256').update(`${pgliteVersion()}\n${migrationSetChecksum(migrations)}`).digest('hex').slice(0, 16);
  return join(root, `pglite-template-${key}`);
}

/**
 * Makes a data directory at target (missing, or empty) whole or not at all: it is built beside
 * target, then renamed into place, so a start killed halfway leaves no half-made directory that
 * would later look damaged. A non-empty target is never replaced: the rename fails.
 */
export async function buildDataDir(target: string, build: (dir: string) => Promise<void>): Promise<void> {
  const partial = `${target}.partial`;
  // Left by a start that was interrupted; the caller holds the data directory.
  await rm(partial, { recursive: true, force: true });
  await build(partial);
  await rename(partial, target);
}

/** Makes target, missing or empty, a copy of the template; false when there is no template for these migrations. */
export async function copyTemplate(migrations: readonly Migration[], target: string, root = TEMPLATE_ROOT): Promise<boolean> {
  const source = templateDir(migrations, root);
  if (!existsSync(join(source, 'PG_VERSION'))) return false;
  await buildDataDir(target, (dir) => cp(source, dir, { recursive: true }));
  return true;
}

/** Makes the template (a data directory, migrated, closed cleanly) unless it exists already. */
export async function ensureTemplate(migrations: readonly Migration[], root = TEMPLATE_ROOT): Promise<string> {
  const dir = templateDir(migrations, root);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const building = `${dir}.${process.pid}.tmp`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  const { openPgliteDb } = await import('./pglite-db.ts');
  const db = await openPgliteDb({ dataDir: building });
  try {
    await migrate(db, migrations);
  } finally {
    await db.close();
  }
  // Another process may have finished first; either copy is as good.
  if (existsSync(join(dir, 'PG_VERSION'))) await rm(building, { recursive: true, force: true });
  else await rename(building, dir);
  return dir;
}
