import { loadMigrations } from '../../src/store/migrate.ts';
import { ensureTemplate } from '../../src/store/pglite-template.ts';

/** Pays PGlite's initdb once per run (or not at all when `npm install` made the template). */
export default async function setup(): Promise<void> {
  await ensureTemplate(await loadMigrations());
}
