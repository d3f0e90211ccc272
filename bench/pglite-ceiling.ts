import { PGlite } from '@electric-sql/pglite';
import { loadMigrations } from '../src/store/migrate.ts';
import { openPgliteDb, PGLITE_START_PARAMS } from '../src/store/pglite-db.ts';
import { copyTemplate } from '../src/store/pglite-template.ts';
import type { PathResult } from './command-path.ts';
import { tempDir } from './processes.ts';
import { percentile } from './stats.ts';

const TEXT = 'Error rate back to normal, watching the canary';

/**
 * The ceilings on the embedded default: single-row INSERTs one after another, in a migrated data
 * directory. `as-firebell-sends-it`: through firebell's own PGlite layer (prepared once, one call
 * into WebAssembly, the answer read from its bytes), the strictest. `pglite-query`: PGlite's
 * public `query()`, as an application using PGlite would insert: PGlite's own rate, the one the
 * target is set against.
 */
export async function measurePgliteInserts(durationMs: number, via: 'as-firebell-sends-it' | 'pglite-query' = 'as-firebell-sends-it'): Promise<PathResult> {
  const dir = await tempDir('pglite-insert');
  // From the migrated template, so the measurement does not wait for an initdb.
  await copyTemplate(await loadMigrations(), dir.path);
  const db =
    via === 'as-firebell-sends-it'
      ? await openPgliteDb({ dataDir: dir.path })
      : await PGlite.create(dir.path, { startParams: [...PGLITE_START_PARAMS] });
  try {
    await db.exec('create table bench_rows (id bigserial primary key, v text not null)');
    const latencies: number[] = [];
    const deadline = performance.now() + durationMs;
    const started = performance.now();
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await db.query('insert into bench_rows (v) values ($1)', [TEXT]);
      latencies.push(performance.now() - t0);
    }
    const elapsed = performance.now() - started;
    return { perSecond: (latencies.length / elapsed) * 1000, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), count: latencies.length };
  } finally {
    await db.close();
    await dir.remove();
  }
}
