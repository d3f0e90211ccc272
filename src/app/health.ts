import type { Clock } from '../core/clock.ts';
import type { HealthFacts } from '../http/routes/health.ts';
import type { Db } from '../store/db.ts';
import type { CommandJournal } from '../store/journal.ts';
import type { CommandExecutor } from './command-executor.ts';

export interface HealthSources {
  db: Db;
  executor: CommandExecutor;
  journal: CommandJournal;
  clock: Clock;
  stopping(): boolean;
  /** A database that has not answered `select 1` by then counts as unreachable. */
  pingTimeoutMs?: number;
}

/** Asks the database (briefly) and reads the rest from memory: what /healthz reports. */
export async function gatherHealth(src: HealthSources): Promise<HealthFacts> {
  const reachable = await pingWithin(src.db, src.pingTimeoutMs ?? 2_000);
  const pending = src.executor.pending();
  const oldest = pending.oldestReceivedAt;
  return {
    database: reachable ? 'reachable' : 'unreachable',
    backend: src.db.backend,
    stopping: src.stopping(),
    journalPending: src.journal.pending().length,
    waitingForDatabase: src.executor.waitingForDatabase,
    commandsPending: pending.count,
    oldestPendingSeconds: oldest === null ? null : Math.max(0, (src.clock.now().getTime() - oldest.getTime()) / 1000),
  };
}

async function pingWithin(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const answered = db.query('select 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
