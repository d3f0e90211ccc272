import { loadMigrations } from '../src/store/migrate.ts';
import { openPgliteDb } from '../src/store/pglite-db.ts';
import { copyTemplate } from '../src/store/pglite-template.ts';
import type { PathResult } from './command-path.ts';
import { tempDir } from './processes.ts';
import { percentile } from './stats.ts';

/** The ceiling on the embedded default: PGlite's own single-row INSERT rate, one after another. */
export async function measurePgliteInserts(durationMs: number): Promise<PathResult> {
  const dir = await tempDir('pglite-insert');
  // From the migrated template, so the measurement does not wait for an initdb.
  await copyTemplate(await loadMigrations(), dir.path);
  const db = await openPgliteDb({ dataDir: dir.path });
  try {
    await db.exec('create table bench_rows (id bigserial primary key, v text not null)');
    const latencies: number[] = [];
    const deadline = performance.now() + durationMs;
    const started = performance.now();
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await db.query('insert into bench_rows (v) values ($1)', ['Error rate back to normal, watching the canary']);
      latencies.push(performance.now() - t0);
    }
    const elapsed = performance.now() - started;
    return { perSecond: (latencies.length / elapsed) * 1000, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), count: latencies.length };
  } finally {
    await db.close();
    await dir.remove();
  }
}
