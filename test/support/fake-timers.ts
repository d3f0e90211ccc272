import type { Timers } from '../../src/chat/irc/send-queue.ts';

interface Scheduled {
  id: number;
  at: number;
  fn: () => void;
}

/** Timers that fire only when a test moves time: `timers.advance(1_000)`. */
export class FakeTimers implements Timers {
  private nowMs = 0;
  private nextId = 1;
  private scheduled: Scheduled[] = [];

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.scheduled.push({ id, at: this.nowMs + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.scheduled = this.scheduled.filter((s) => s.id !== handle);
  }

  /** Moves time forward, firing every timer that falls due, in order, each at its own moment. */
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      const due = this.scheduled.filter((s) => s.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.scheduled = this.scheduled.filter((s) => s !== due);
      this.nowMs = due.at;
      due.fn();
    }
    this.nowMs = until;
  }

  /** Milliseconds since the timers were made. */
  get now(): number {
    return this.nowMs;
  }

  get pending(): number {
    return this.scheduled.length;
  }
}
