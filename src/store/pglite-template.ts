import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, migrationSetChecksum, type Migration } from './migrate.ts';

/**
 * A new PGlite directory costs an initdb inside WebAssembly (4-9 s, DESIGN §10); unpacking a
 * migrated template costs about 1 s. The template is made once per migration set and PGlite
 * version (at install, or by the first test run) and kept in .cache/.
 */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../.cache/', import.meta.url));

function pgliteVersion(): string {
  // Its package.json is not exported; it sits one level above the entry point's dist/.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function templatePath(migrations: readonly Migration[], dir = TEMPLATE_DIR): string {
  const key = createHash('sha256').update(`${pgliteVersion()}\n${migrationSetChecksum(migrations)}`).digest('hex').slice(0, 16);
  return join(dir, `pglite-template-${key}.tar.gz`);
}

/** The template for these migrations, or null when none has been made. */
export async function readTemplate(migrations: readonly Migration[], dir = TEMPLATE_DIR): Promise<Blob | null> {
  try {
    return new Blob([await readFile(templatePath(migrations, dir))]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Makes the template (an in-memory database, migrated, dumped) unless it exists already. */
export async function ensureTemplate(migrations: readonly Migration[], dir = TEMPLATE_DIR): Promise<string> {
  const path = templatePath(migrations, dir);
  if (await readTemplate(migrations, dir)) return path;
  const { PGlite } = await import('@electric-sql/pglite');
  const { fromPglite } = await import('./pglite-db.ts');
  const pglite = await PGlite.create();
  try {
    await migrate(fromPglite(pglite), migrations);
    const dump = await pglite.dumpDataDir('gzip');
    await mkdir(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, path);
  } finally {
    await pglite.close();
  }
  return path;
}
