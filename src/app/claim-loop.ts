import type { Clock } from '../core/clock.ts';

/** What one outbox worker does with its rows: claim the due ones, run each, say when the next falls due. */
export interface ClaimJob<T> {
  /** Claims up to `room` due rows; each stays hidden from other workers until its lease ends. */
  claim(room: number): Promise<readonly T[]>;
  /** The row's id: a row whose lease ran out while it still runs here is not started twice. */
  key(row: T): number;
  /** Sends one row and records how it went. */
  run(row: T): Promise<void>;
  nextDueAt(): Promise<Date | null>;
  /** False: claim nothing now (another instance is on the platform); look again at the next poll. */
  ready?(): boolean;
  /** The outbox could not be read, or a row's run threw: logged; what is left is looked at again. */
  failed(err: unknown): void;
}

export interface ClaimLoopOptions {
  clock: Clock;
  /** Rows running at once. */
  concurrency: number;
  /** How often to look for work another process kept, or that fell due. */
  pollMs: number;
}

/**
 * The loop behind both outboxes (chat notices, status deliveries): claims what is due, up to its
 * concurrency, runs each row, and claims again whenever a row settles or something is woken; then
 * sleeps until the next row falls due, or a poll at most. Every wake-up that arrives while a claim
 * is under way is honoured by claiming once more after it, so nothing kept waits for the poll.
 */
export class ClaimLoop<T> {
  private readonly inFlight = new Map<number, Promise<void>>();
  private claiming: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly job: ClaimJob<T>,
    private readonly opts: ClaimLoopOptions,
  ) {}

  /** Something was kept, or may be due: look now. */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimAndStart().finally(() => {
      this.claiming = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves once no claim is under way and no row is running. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...(this.claiming ? [this.claiming] : []), ...this.inFlight.values()];
      if (busy.length === 0) return;
      await Promise.allSettled(busy);
    }
  }

  /** Claims nothing more; rows already running go on (idle() waits for them). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async claimAndStart(): Promise<void> {
    if (this.job.ready?.() === false) {
      this.sleep(null);
      return;
    }
    try {
      for (;;) {
        const room = this.opts.concurrency - this.inFlight.size;
        if (room <= 0 || this.stopped) return;
        const fresh = (await this.job.claim(room)).filter((row) => !this.inFlight.has(this.job.key(row)));
        if (fresh.length === 0) break;
        for (const row of fresh) this.start(row);
      }
      this.sleep(await this.job.nextDueAt());
    } catch (err) {
      this.job.failed(err);
      this.sleep(null);
    }
  }

  private start(row: T): void {
    const key = this.job.key(row);
    const running = this.job
      .run(row)
      .catch((err: unknown) => this.job.failed(err))
      .finally(() => {
        this.inFlight.delete(key);
        this.wake();
      });
    this.inFlight.set(key, running);
  }

  /** Wakes when the next row falls due, and at least every pollMs. */
  private sleep(dueAt: Date | null): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const untilDue = dueAt ? dueAt.getTime() - this.opts.clock.now().getTime() : this.opts.pollMs;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.wake();
      },
      Math.max(0, Math.min(untilDue, this.opts.pollMs)),
    );
    this.timer.unref();
  }
}
