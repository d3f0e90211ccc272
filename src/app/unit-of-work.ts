import type { Notice } from '../core/notices.ts';
import type { LateReply, NoticeConsumer } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import { CandidateCache } from '../store/sql/candidate-cache.ts';
import { sqlStore } from '../store/sql-store.ts';
import type { NewNotice, Store } from '../store/store.ts';
import { toNewNotice, type OutboxMessage } from './outbox-message.ts';

/** What a unit of work may do: read and write through the store, and say things after commit. */
export interface Work {
  store: Store;
  notify(notice: Notice): void;
  replyLate(late: LateReply): void;
}

export interface UnitOfWorkDeps {
  db: Db;
  /** Who is told about notices; read at each commit, so adapters added later are included. */
  consumers(): readonly NoticeConsumer[];
  now(): Date;
  /** Called after a commit that kept messages: the outbox delivers them. */
  kept(): void;
}

/**
 * The one way to change the record (DESIGN §8): a transaction, with what it has to say kept in the
 * chat outbox inside that same transaction and delivered after commit. Commands (through the
 * executor) and workers (the nag scheduler, status deliveries) both run through here, so a crash
 * between commit and delivery loses no notice, and a slow chat platform delays no commit.
 */
export class UnitOfWork {
  /**
   * On PGlite this process is the only writer (it holds the data directory) and its transactions
   * run one at a time, so which incident a channel belongs to is remembered from one transaction
   * to the next: each change to incidents or links forgets it, and so does a rollback. Postgres
   * may have other instances writing, so each of its transactions asks afresh.
   */
  private readonly candidates: CandidateCache | null;

  constructor(private readonly deps: UnitOfWorkDeps) {
    this.candidates = deps.db.backend === 'pglite' ? new CandidateCache() : null;
  }

  async run<T>(fn: (work: Work) => Promise<T>): Promise<T> {
    try {
      return await this.runOnce(fn);
    } catch (err) {
      this.candidates?.forget();
      throw err;
    }
  }

  private async runOnce<T>(fn: (work: Work) => Promise<T>): Promise<T> {
    let keptAny = false;
    const value = await this.deps.db.transaction(async (tx) => {
      const messages: OutboxMessage[] = [];
      const store = sqlStore(tx, this.candidates ?? undefined);
      const result = await fn({
        store,
        notify: (notice) => messages.push({ notice }),
        replyLate: (lateReply) => messages.push({ lateReply }),
      });
      const consumers = this.deps.consumers();
      const rows = messages.map((m) => toNewNotice(m, consumers)).filter((n): n is NewNotice => n !== null);
      await store.notices.enqueue(rows, this.deps.now());
      keptAny = rows.length > 0;
      return result;
    });
    if (keptAny) this.deps.kept();
    return value;
  }
}
