import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { NoticeConsumer } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import { sqlStore } from '../store/sql-store.ts';
import type { NoticeDelivery } from '../store/store.ts';
import { ClaimLoop } from './claim-loop.ts';
import { decodeOutboxMessage, deliverOutboxMessage } from './outbox-message.ts';

export interface NoticeOutboxOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  consumers: readonly NoticeConsumer[];
  /** How long a claimed delivery stays hidden from other workers before it is tried again. */
  leaseMs?: number;
  /** A delivery that has not settled by then counts as failed (and is retried). */
  deliveryTimeoutMs?: number;
  /** Waits before each retry, by attempt; the last one repeats. Jittered by up to a quarter. */
  retryDelaysMs?: readonly number[];
  /** After this many attempts, or this long after the notice was made, a delivery is set aside. */
  maxAttempts?: number;
  maxAgeMs?: number;
  /** Deliveries to one consumer in flight at once (never two about the same incident). */
  concurrency?: number;
  /** How often to look for work that another process kept (several instances on one Postgres). */
  pollMs?: number;
  /** For retries' jitter; tests pin it. */
  random?: () => number;
  /** How long a stop keeps delivering what is due before it leaves the rest for the next start. */
  stopGraceMs?: number;
}

const MINUTE_MS = 60_000;

/**
 * Delivers what the unit of work kept in the chat outbox (DESIGN §8), one worker per consumer: at
 * least once, in order per incident, retried with backoff, and set aside (logged) when it keeps
 * failing, so one poison notice never holds up the others (DESIGN §1, lesson 4). Deliveries are
 * claimed row by row, so several instances on one Postgres deliver each notice once.
 */
export class NoticeOutbox {
  private readonly loops: ClaimLoop<NoticeDelivery>[];
  private readonly leaseMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: NoticeOutboxOptions) {
    this.leaseMs = opts.leaseMs ?? 2 * MINUTE_MS;
    this.timeoutMs = opts.deliveryTimeoutMs ?? MINUTE_MS;
    this.loops = opts.consumers.map((consumer) => this.loopFor(consumer));
  }

  get consumers(): readonly NoticeConsumer[] {
    return this.opts.consumers;
  }

  /** Deliveries waiting and set aside, per consumer: for the operator (health, metrics). */
  async counts(): Promise<Record<string, { pending: number; dead: number }>> {
    const store = sqlStore(this.opts.db);
    const entries = await Promise.all(this.opts.consumers.map(async (c) => [c.name, await store.notices.counts(c.name)] as const));
    return Object.fromEntries(entries);
  }

  /** Something was kept, or may be due: look now. */
  wake(): void {
    for (const loop of this.loops) loop.wake();
  }

  /** Resolves once no worker is looking and no delivery is in flight. */
  async idle(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.idle()));
  }

  /** Delivers everything due now, then resolves (a clean stop, a test). */
  async drain(): Promise<void> {
    this.wake();
    await this.idle();
  }

  /**
   * Delivers what is due, for up to `graceMs`, then stops claiming. Whatever is left stays kept and
   * goes out after the next start (a delivery still hanging is tried again once its lease ends).
   */
  async stop(graceMs = this.opts.stopGraceMs ?? 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([this.drain(), grace]);
    clearTimeout(timer);
    for (const loop of this.loops) loop.stop();
  }

  private loopFor(consumer: NoticeConsumer): ClaimLoop<NoticeDelivery> {
    const { db, clock, log } = this.opts;
    const store = sqlStore(db);
    return new ClaimLoop<NoticeDelivery>(
      {
        claim: (room) => {
          const now = clock.now();
          return store.notices.claim(consumer.name, now, new Date(now.getTime() + this.leaseMs), room);
        },
        key: (delivery) => delivery.noticeId,
        run: (delivery) => this.deliver(consumer, delivery),
        nextDueAt: () => store.notices.nextDueAt(consumer.name),
        // Not claimed here, so the instance that is on the platform delivers them.
        ready: () => consumer.ready?.() !== false,
        failed: (err) => log.warn({ err, consumer: consumer.name }, 'chat outbox unreachable; trying again shortly'),
      },
      { clock, concurrency: this.opts.concurrency ?? 8, pollMs: this.opts.pollMs ?? 5_000 },
    );
  }

  private async deliver(consumer: NoticeConsumer, delivery: NoticeDelivery): Promise<void> {
    const { db, clock, log } = this.opts;
    const store = sqlStore(db);
    const message = decodeOutboxMessage(delivery.body);
    if (!message) {
      log.error({ consumer: consumer.name, noticeId: delivery.noticeId }, 'unreadable notice set aside');
      await store.notices.failed(consumer.name, delivery.noticeId, 'unreadable notice', null).catch(() => undefined);
      return;
    }
    try {
      await withTimeout(deliverOutboxMessage(consumer, message, `notice-${delivery.noticeId}`), this.timeoutMs);
    } catch (err) {
      const retryAt = this.retryAt(delivery, clock.now());
      const fields = { err, consumer: consumer.name, noticeId: delivery.noticeId, attempts: delivery.attempts };
      if (retryAt) log.warn(fields, 'notice delivery failed; it will be retried');
      else log.error(fields, 'notice delivery kept failing; set aside');
      await store.notices.failed(consumer.name, delivery.noticeId, describe(err), retryAt).catch((markErr: unknown) => {
        log.warn({ err: markErr, consumer: consumer.name }, 'could not record the failed delivery; it will be retried');
      });
      return;
    }
    await store.notices.delivered(consumer.name, delivery.noticeId).catch((err: unknown) => {
      // Delivered, but not marked: it will be delivered again once its lease runs out.
      log.warn({ err, consumer: consumer.name, noticeId: delivery.noticeId }, 'could not record a delivered notice');
    });
  }

  /** When to try again, or null when the delivery has had its chances. */
  private retryAt(delivery: NoticeDelivery, now: Date): Date | null {
    const maxAttempts = this.opts.maxAttempts ?? 10;
    const maxAgeMs = this.opts.maxAgeMs ?? 24 * 60 * MINUTE_MS;
    if (delivery.attempts >= maxAttempts || now.getTime() - delivery.createdAt.getTime() >= maxAgeMs) return null;
    const delays = this.opts.retryDelaysMs ?? [1_000, 5_000, 30_000, MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS];
    const base = delays[Math.min(delivery.attempts - 1, delays.length - 1)] ?? MINUTE_MS;
    const jitter = base * 0.25 * (this.opts.random ?? Math.random)();
    return new Date(now.getTime() + base + jitter);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
