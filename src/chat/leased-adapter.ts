import type { Logger } from 'pino';
import type { Notice } from '../core/notices.ts';
import type { Lease } from '../store/lease.ts';
import type { ChatAdapter, LateReply } from './types.ts';

export interface LeasedAdapterOptions {
  log: Logger;
  /** Told when this instance starts or stops holding the platform (a metric). */
  onHeld?: (held: boolean) => void;
  /** Told when it starts holding: notices kept meanwhile can go out now. */
  onReady?: () => void;
}

/**
 * A chat platform only one instance may be on at a time (IRC: two bots with one nick fight over
 * it). The adapter connects once this instance holds the platform's lease. When the lease's
 * connection is lost, the database may simply be down, and the chat is what still works then
 * (DESIGN §1, lesson 1): it stays on the chat while it asks again, and leaves only when it finds
 * another instance holding the lease. Meanwhile its notices wait in the outbox for whichever
 * instance is on the chat (DESIGN §3).
 */
export class LeasedAdapter implements ChatAdapter {
  readonly platform: string;
  readonly name: string;
  private running = false;
  private holding: Promise<void> | null = null;
  private interrupt: (() => void) | null = null;
  private connected = false;
  private leaving: Promise<void> | null = null;

  constructor(
    private readonly inner: ChatAdapter,
    private readonly lease: Lease,
    private readonly opts: LeasedAdapterOptions,
  ) {
    this.platform = inner.platform;
    this.name = inner.name;
    lease.onLost(() => this.interrupt?.());
    lease.onHeldElsewhere(() => void this.leave());
  }

  /** Asks for the lease in the background: start-up never waits for another instance. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.holding = this.holdWhileRunning();
  }

  ready(): boolean {
    return this.connected;
  }

  wants(notice: Notice): boolean {
    return this.inner.wants(notice);
  }

  deliver(notice: Notice, key: string): Promise<void> {
    return this.inner.deliver(notice, key);
  }

  deliverLate(late: LateReply, key: string): Promise<void> {
    return this.inner.deliverLate(late, key);
  }

  stopTaking(): void {
    this.inner.stopTaking?.();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.interrupt?.();
    // Stops a wait for the lease; a held one is given up after the chat is left.
    if (!this.lease.held) await this.lease.release();
    await this.holding;
    await this.leave();
    await this.lease.release();
  }

  private async holdWhileRunning(): Promise<void> {
    while (this.running) {
      try {
        await this.lease.acquire();
      } catch {
        return; // released by stop()
      }
      if (!this.running) return;
      const interrupted = new Promise<void>((resolve) => {
        this.interrupt = resolve;
      });
      await this.leaving;
      if (!this.connected) {
        this.opts.log.info({ platform: this.platform }, 'this instance holds the platform: connecting');
        await this.inner.start();
        this.connected = true;
      }
      this.opts.onHeld?.(true);
      this.opts.onReady?.();
      // Lost between acquire and here: the listener fired before interrupt was set.
      if (this.lease.held) await interrupted;
      this.interrupt = null;
      this.opts.onHeld?.(false);
      if (this.running) this.opts.log.warn({ platform: this.platform }, 'lease lost: staying on the chat while asking again');
    }
  }

  /** Another instance holds the platform now: this one leaves the chat. */
  private leave(): Promise<void> {
    if (!this.connected) return this.leaving ?? Promise.resolve();
    this.connected = false;
    this.opts.log.warn({ platform: this.platform }, 'another instance holds the platform: leaving the chat');
    this.leaving = this.inner.stop().finally(() => {
      this.leaving = null;
    });
    return this.leaving;
  }
}
