import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Db } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { StartupError } from '../startup-error.ts';

export interface DatabaseSettings {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}

/**
 * Postgres when DATABASE_URL is set, else PGlite in DATA_DIR/pgdata; migrated either way, unless
 * the caller (`firebell migrate`) migrates it itself. The caller holds DATA_DIR (data-dir-lock.ts)
 * before it opens PGlite there.
 */
export async function openDatabase(settings: DatabaseSettings, log: Logger, opts: { migrate: boolean } = { migrate: true }): Promise<Db> {
  const migrations = await loadMigrations();
  let db: Db;
  if (settings.DATABASE_URL) {
    const url = new URL(settings.DATABASE_URL);
    // Loaded only when used, as PGlite is below: the Postgres driver costs the embedded default ~40 ms at start.
    const { openPgDb } = await import('./pg-db.ts');
    db = await openPgDb({
      connectionString: settings.DATABASE_URL,
      onIdleError: (err) => log.warn({ err }, 'database connection lost'),
    }).catch((err: Error) => {
      // Named without the password the URL may carry.
      throw new StartupError(`cannot connect to the database at ${url.host}${url.pathname}: ${err.message}`);
    });
  } else {
    // Loaded only when used: PGlite's module alone costs a Postgres deployment tens of MB.
    const [{ openPgliteDb }, { buildDataDir, copyTemplate }, { describeDamage, inspectPgData, openPgData }] = await Promise.all([
      import('./pglite-db.ts'),
      import('./pglite-template.ts'),
      import('./pglite-data-dir.ts'),
    ]);
    const dataDir = resolve(settings.DATA_DIR, 'pgdata');
    const state = await inspectPgData(dataDir);
    if (state.kind === 'damaged') throw new StartupError(describeDamage(dataDir, state.reason));
    if (state.kind === 'absent') {
      const fromTemplate = await copyTemplate(migrations, dataDir);
      // No template (it is made by `npm install`): an initdb, beside the target all the same.
      if (!fromTemplate) await buildDataDir(dataDir, async (dir) => (await openPgliteDb({ dataDir: dir })).close());
      log.info({ dataDir, fromTemplate }, 'created the embedded database');
    }
    db = await openPgData(dataDir);
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
