import type { Logger } from 'pino';
import { ClaimLoop } from '../app/claim-loop.ts';
import type { UnitOfWork } from '../app/unit-of-work.ts';
import type { Clock } from '../core/clock.ts';
import { incidentRef } from '../core/model.ts';
import type { Db } from '../store/db.ts';
import { sqlStore } from '../store/sql-store.ts';
import type { ClaimedStatusDelivery } from '../store/store.ts';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from './backoff.ts';
import { DeliveryFailure, type StatusTarget } from './target.ts';

export interface StatusDeliveryWorkerOptions {
  db: Db;
  /** Dead deliveries are reported through it: the notice is kept with the commit that sets them aside. */
  work: UnitOfWork;
  clock: Clock;
  log: Logger;
  targets: readonly StatusTarget[];
  retry?: Partial<RetryPolicy>;
  /** A send that has not answered by then counts as failed. */
  timeoutMs?: number;
  /** How long a claimed delivery stays hidden from other workers. */
  leaseMs?: number;
  /** Deliveries to one target in flight at once (never two about the same incident). */
  concurrency?: number;
  /** How often to look for work another process kept, or that fell due. */
  pollMs?: number;
  /** For the jitter; tests pin it. */
  random?: () => number;
}

/**
 * Delivers public status updates to the external targets from the status outbox (DESIGN §4): one
 * worker per target, so a target that hangs or keeps failing never delays another; within a target,
 * updates about one incident go out in the order they were made. Failures are retried with
 * exponential backoff and jitter, honouring Retry-After; after the policy's attempts or age the
 * delivery is dead and the ops channel is told.
 */
export class StatusDeliveryWorker {
  private readonly loops: ClaimLoop<ClaimedStatusDelivery>[];
  private readonly policy: RetryPolicy;
  private stopped = false;
  /** Sends in flight, aborted by stop(). */
  private readonly sending = new Set<AbortController>();

  constructor(private readonly opts: StatusDeliveryWorkerOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.loops = opts.targets.map((target) => this.loopFor(target));
  }

  get targetNames(): string[] {
    return this.opts.targets.map((t) => t.name);
  }

  /** An update was recorded, or something may be due: look now. */
  wake(): void {
    for (const loop of this.loops) loop.wake();
  }

  async idle(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.idle()));
  }

  /** Sends everything due now and waits for the answers (tests, a clean stop). */
  async drain(): Promise<void> {
    this.wake();
    await this.idle();
  }

  /**
   * Stops claiming and abandons sends in flight, so a hanging target does not hold up a shutdown.
   * An abandoned delivery is left as it is: once its lease ends it is sent again, from this process
   * or another, with the same delivery id.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const loop of this.loops) loop.stop();
    for (const controller of this.sending) controller.abort();
    await this.idle();
  }

  private loopFor(target: StatusTarget): ClaimLoop<ClaimedStatusDelivery> {
    const { db, clock, log } = this.opts;
    const store = sqlStore(db);
    const leaseMs = this.opts.leaseMs ?? 2 * 60_000;
    return new ClaimLoop<ClaimedStatusDelivery>(
      {
        claim: (room) => {
          const now = clock.now();
          return store.statusDeliveries.claim([target.name], now, new Date(now.getTime() + leaseMs), room);
        },
        key: (delivery) => delivery.id,
        run: (delivery) => this.deliver(target, delivery),
        nextDueAt: () => store.statusDeliveries.nextDueAt([target.name]),
        failed: (err) => log.warn({ err, target: target.name }, 'status outbox unreachable; trying again shortly'),
      },
      { clock, concurrency: this.opts.concurrency ?? 4, pollMs: this.opts.pollMs ?? 5_000 },
    );
  }

  private async deliver(target: StatusTarget, d: ClaimedStatusDelivery): Promise<void> {
    const { db, clock, log } = this.opts;
    const store = sqlStore(db);
    const fields = { target: d.target, delivery: d.id, incident: incidentRef(d.incidentId), attempts: d.attempts };
    let external;
    const controller = new AbortController();
    this.sending.add(controller);
    try {
      external = await sendWithTimeout(target, d, this.opts.timeoutMs ?? 30_000, controller);
    } catch (err) {
      if (this.stopped) return;
      const now = clock.now();
      const retryAfterMs = err instanceof DeliveryFailure ? err.retryAfterMs : null;
      const retryAt = nextAttemptAt(this.policy, d.attempts, d.createdAt, now, retryAfterMs, (this.opts.random ?? Math.random)());
      const error = describe(err);
      try {
        if (retryAt) {
          log.warn({ ...fields, err: error }, 'status delivery failed; it will be retried');
          await store.statusDeliveries.failed(d.id, error, retryAt, now);
        } else {
          log.error({ ...fields, err: error }, 'status delivery kept failing; set aside as dead');
          await this.opts.work.run(async (w) => {
            await w.store.statusDeliveries.failed(d.id, error, null, now);
            w.notify({
              kind: 'status_delivery_dead',
              incidentId: d.incidentId,
              deliveryId: d.id,
              target: d.target,
              state: d.updateState,
              attempts: d.attempts,
              error: error.slice(0, 200),
            });
          });
        }
      } catch (markErr) {
        log.warn({ ...fields, err: markErr }, 'could not record the failed delivery; it is tried again when its lease ends');
      }
      return;
    } finally {
      this.sending.delete(controller);
    }
    await store.statusDeliveries.delivered(d.id, clock.now(), external).catch((err: unknown) => {
      // Sent, but not marked: sent again once its lease ends (the webhook's delivery id lets a receiver tell).
      log.warn({ ...fields, err }, 'could not record a delivered status update');
    });
    log.info(fields, 'status update delivered');
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function sendWithTimeout(target: StatusTarget, d: ClaimedStatusDelivery, timeoutMs: number, controller: AbortController) {
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
  });
  stopped.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected before the abort, so the race reports the timeout rather than the abort it causes.
      reject(new DeliveryFailure(`no answer within ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
    timer.unref();
  });
  const sending = target.send({ deliveryId: d.id, incident: d.incident, update: d.update, external: d.external, attempt: d.attempts }, controller.signal);
  // A send that fails after the timeout won must not surface as an unhandled rejection.
  sending.catch(() => undefined);
  try {
    return await Promise.race([sending, timeout, stopped]);
  } finally {
    clearTimeout(timer);
  }
}
