import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { NoticeConsumer } from '../chat/types.ts';
import type { Db } from '../store/db.ts';
import { sqlStore } from '../store/sql-store.ts';
import type { NoticeDelivery } from '../store/store.ts';
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

interface ConsumerState {
  consumer: NoticeConsumer;
  inFlight: Map<number, Promise<void>>;
  pumping: Promise<void> | null;
  again: boolean;
  timer: NodeJS.Timeout | null;
}

const MINUTE_MS = 60_000;

/**
 * Delivers what the unit of work kept in the chat outbox (DESIGN §8), one worker per consumer: at
 * least once, in order per incident, retried with backoff, and set aside (logged) when it keeps
 * failing, so one poison notice never holds up the others (DESIGN §1, lesson 4). Deliveries are
 * claimed row by row, so several instances on one Postgres deliver each notice once.
 */
export class NoticeOutbox {
  private readonly states: ConsumerState[];
  private stopped = false;
  private readonly leaseMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: NoticeOutboxOptions) {
    this.leaseMs = opts.leaseMs ?? 2 * MINUTE_MS;
    this.timeoutMs = opts.deliveryTimeoutMs ?? MINUTE_MS;
    this.states = opts.consumers.map((consumer) => ({ consumer, inFlight: new Map(), pumping: null, again: false, timer: null }));
  }

  get consumers(): readonly NoticeConsumer[] {
    return this.opts.consumers;
  }

  /** Deliveries waiting and set aside, per consumer: for the operator (health, metrics). */
  async counts(): Promise<Record<string, { pending: number; dead: number }>> {
    const store = sqlStore(this.opts.db);
    const entries = await Promise.all(this.states.map(async (s) => [s.consumer.name, await store.notices.counts(s.consumer.name)] as const));
    return Object.fromEntries(entries);
  }

  /** Something was kept, or may be due: look now. */
  wake(): void {
    for (const state of this.states) this.pump(state);
  }

  /** Resolves once no worker is looking and no delivery is in flight. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = this.states.flatMap((s) => [...(s.pumping ? [s.pumping] : []), ...s.inFlight.values()]);
      if (busy.length === 0) return;
      await Promise.allSettled(busy);
    }
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
    this.stopped = true;
    for (const state of this.states) if (state.timer) clearTimeout(state.timer);
  }

  private pump(state: ConsumerState): void {
    if (this.stopped) return;
    if (state.pumping) {
      state.again = true;
      return;
    }
    state.pumping = this.claimAndStart(state).finally(() => {
      state.pumping = null;
      if (state.again) {
        state.again = false;
        this.pump(state);
      }
    });
  }

  private async claimAndStart(state: ConsumerState): Promise<void> {
    const { db, clock, log } = this.opts;
    const store = sqlStore(db);
    const name = state.consumer.name;
    if (state.consumer.ready?.() === false) {
      // Not claimed here, so the instance that is on the platform delivers them; look again later.
      this.arm(state, null);
      return;
    }
    try {
      for (;;) {
        const room = (this.opts.concurrency ?? 8) - state.inFlight.size;
        if (room <= 0 || this.stopped) return;
        const now = clock.now();
        const claimed = await store.notices.claim(name, now, new Date(now.getTime() + this.leaseMs), room);
        // A lease that ran out while its delivery still hangs here: it is already being tried.
        const fresh = claimed.filter((d) => !state.inFlight.has(d.noticeId));
        if (fresh.length === 0) break;
        for (const delivery of fresh) {
          const running = this.deliver(state, delivery).finally(() => {
            state.inFlight.delete(delivery.noticeId);
            this.pump(state);
          });
          state.inFlight.set(delivery.noticeId, running);
        }
      }
      this.arm(state, await store.notices.nextDueAt(name));
    } catch (err) {
      log.warn({ err, consumer: name }, 'chat outbox unreachable; trying again shortly');
      this.arm(state, null);
    }
  }

  /** Wakes the worker when its next delivery falls due, and at least every pollMs. */
  private arm(state: ConsumerState, dueAt: Date | null): void {
    if (this.stopped) return;
    if (state.timer) clearTimeout(state.timer);
    const pollMs = this.opts.pollMs ?? 5_000;
    const untilDue = dueAt ? dueAt.getTime() - this.opts.clock.now().getTime() : pollMs;
    state.timer = setTimeout(() => {
      state.timer = null;
      this.pump(state);
    }, Math.max(0, Math.min(untilDue, pollMs)));
    state.timer.unref();
  }

  private async deliver(state: ConsumerState, delivery: NoticeDelivery): Promise<void> {
    const { db, clock, log } = this.opts;
    const store = sqlStore(db);
    const { consumer } = state;
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
