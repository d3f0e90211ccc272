import type { Clock } from '../../src/core/clock.ts';
import { parseDuration } from '../../src/core/duration.ts';

/** A clock that moves only when a test says so: `clock.advance('15m')`. */
export class ManualClock implements Clock {
  private at: number;

  constructor(start: Date | string) {
    this.at = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(by: string | number): void {
    if (typeof by === 'number') {
      this.at += by;
      return;
    }
    const d = parseDuration(by);
    if (!d.ok) throw new Error(d.error.message);
    this.at += d.value;
  }

  set(to: Date | string): void {
    this.at = new Date(to).getTime();
  }
}
