import { asciiLower } from './casemap.ts';

/** The timer calls the queue makes, so tests can move time without waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SendQueueOptions {
  timers?: Timers;
  /** Lines that may go at once after a quiet spell. */
  burst?: number;
  /** Time to earn one more line once the burst is spent. */
  intervalMs?: number;
}

/**
 * Outgoing lines, paced as servers expect (RFC 1459 §8.10: about 5 at once, then one every 2 s;
 * real networks kick a bot that floods, and irc-framework has no throttle of its own): a burst of
 * 4, then one per interval, the burst earned back while idle. Targets take turns, so a long help
 * sent to one person does not hold up a short reply in a channel; lines to one target keep their
 * order. `deliver` writes one line and must not throw.
 */
export class SendQueue<T> {
  private readonly timers: Timers;
  private readonly burst: number;
  private readonly intervalMs: number;
  /** Waiting lines per target (lower-cased), in the order the targets take turns. */
  private readonly waiting = new Map<string, T[]>();
  private tokens: number;
  private refill: unknown = null;

  constructor(
    private readonly deliver: (item: T) => void,
    options: SendQueueOptions = {},
  ) {
    this.timers = options.timers ?? realTimers;
    this.burst = options.burst ?? 4;
    this.intervalMs = options.intervalMs ?? 1_000;
    if (!(this.burst >= 1 && this.intervalMs > 0)) throw new RangeError(`a send queue needs a burst of 1 or more and an interval above 0`);
    this.tokens = this.burst;
  }

  push(target: string, ...items: T[]): void {
    if (items.length === 0) return;
    const key = asciiLower(target);
    const lines = this.waiting.get(key);
    if (lines) lines.push(...items);
    else this.waiting.set(key, [...items]);
    this.drain();
  }

  /** Lines not yet sent. */
  get pending(): number {
    let n = 0;
    for (const lines of this.waiting.values()) n += lines.length;
    return n;
  }

  /**
   * Drops every waiting line and returns them (a dropped connection loses its place; the caller
   * decides what to resend), and starts the next connection with a full burst.
   */
  clear(): T[] {
    const dropped = [...this.waiting.values()].flat();
    this.waiting.clear();
    if (this.refill !== null) this.timers.clearTimeout(this.refill);
    this.refill = null;
    this.tokens = this.burst;
    return dropped;
  }

  private drain(): void {
    while (this.tokens > 0 && this.waiting.size > 0) {
      const [key, lines] = this.waiting.entries().next().value!;
      const item = lines.shift()!;
      // The target goes to the back of the turn order, or away when it has nothing left.
      this.waiting.delete(key);
      if (lines.length > 0) this.waiting.set(key, lines);
      this.tokens--;
      this.deliver(item);
    }
    if (this.tokens < this.burst && this.refill === null) {
      this.refill = this.timers.setTimeout(() => {
        this.refill = null;
        this.tokens++;
        this.drain();
      }, this.intervalMs);
    }
  }
}
