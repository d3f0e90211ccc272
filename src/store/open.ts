import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Db } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { StartupError } from '../startup-error.ts';
import { openPgDb } from './pg-db.ts';

export interface DatabaseSettings {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}

/**
 * Postgres when DATABASE_URL is set, else PGlite in DATA_DIR/pgdata; migrated either way, unless
 * the caller (`firebell migrate`) migrates it itself.
 */
export async function openDatabase(settings: DatabaseSettings, log: Logger, opts: { migrate: boolean } = { migrate: true }): Promise<Db> {
  const migrations = await loadMigrations();
  let db: Db;
  if (settings.DATABASE_URL) {
    const url = new URL(settings.DATABASE_URL);
    db = await openPgDb({
      connectionString: settings.DATABASE_URL,
      onIdleError: (err) => log.warn({ err }, 'database connection lost'),
    }).catch((err: Error) => {
      // Named without the password the URL may carry.
      throw new StartupError(`cannot connect to the database at ${url.host}${url.pathname}: ${err.message}`);
    });
  } else {
    // Loaded only when used: PGlite's module alone costs a Postgres deployment tens of MB.
    const [{ openPgliteDb }, { copyTemplate }] = await Promise.all([import('./pglite-db.ts'), import('./pglite-template.ts')]);
    const dataDir = join(settings.DATA_DIR, 'pgdata');
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      const fromTemplate = await copyTemplate(migrations, dataDir);
      log.info({ dataDir, fromTemplate }, 'creating the embedded database');
    }
    db = await openPgliteDb({ dataDir });
  }
  if (!opts.migrate) return db;
  try {
    const applied = await migrate(db, migrations);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
