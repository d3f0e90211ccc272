import type { ChatAdapter, LateReply } from '../../src/chat/types.ts';
import type { Notice } from '../../src/core/notices.ts';

/**
 * A chat platform for tests: it writes down what it is told, and can be made to hang (as a chat
 * API that stops answering) or to fail the next deliveries (as one that answers errors).
 */
export class RecordingAdapter implements ChatAdapter {
  readonly name: string;
  readonly told: { notice: Notice; key: string }[] = [];
  readonly lateReplies: { late: LateReply; key: string }[] = [];
  /** Every attempt, failed ones included. */
  attempts = 0;
  /** The key of every attempt: a retried notice keeps its key, so a platform can spot a repeat. */
  readonly attemptKeys: string[] = [];
  /** Set, the outbox asks it before claiming (an instance not on the platform). */
  ready?: () => boolean;
  private failures = 0;
  private hung: { release: () => void; promise: Promise<void> } | null = null;
  private waiters: { until: () => boolean; resolve: () => void }[] = [];

  constructor(readonly platform = 'test') {
    this.name = platform;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Everything a chat platform could be told; the status site's own notices are for the site alone. */
  wants(notice: Notice): boolean {
    return notice.kind !== 'status_posted' && notice.kind !== 'status_revised';
  }

  /** Deliveries from now on wait until release(). */
  hang(): void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.hung = { release, promise };
  }

  release(): void {
    this.hung?.release();
    this.hung = null;
  }

  /** The next n deliveries fail. */
  failNext(n: number): void {
    this.failures = n;
  }

  async deliver(notice: Notice, key: string): Promise<void> {
    this.attemptKeys.push(key);
    await this.attempt();
    this.told.push({ notice, key });
    this.wakeWaiters();
  }

  async deliverLate(late: LateReply, key: string): Promise<void> {
    await this.attempt();
    this.lateReplies.push({ late, key });
    this.wakeWaiters();
  }

  /** Resolves once the adapter has been told what `until` waits for. */
  waitFor(until: () => boolean): Promise<void> {
    if (until()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ until, resolve }));
  }

  kinds(): string[] {
    return this.told.map((t) => t.notice.kind);
  }

  private async attempt(): Promise<void> {
    this.attempts++;
    if (this.hung) await this.hung.promise;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('the chat platform answered 500');
    }
  }

  private wakeWaiters(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.until()) return true;
      w.resolve();
      return false;
    });
  }
}
