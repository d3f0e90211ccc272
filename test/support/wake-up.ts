import type { WakeUpTimer } from '../../src/app/wake-up.ts';
import type { ManualClock } from './clock.ts';

/** The scheduler's wake-up, fired only when a test moves its clock past the armed time. */
export class ManualWakeUp implements WakeUpTimer {
  armedAt: Date | null = null;
  private wake: (() => void) | null = null;

  arm(at: Date, wake: () => void): void {
    this.armedAt = at;
    this.wake = wake;
  }

  disarm(): void {
    this.armedAt = null;
    this.wake = null;
  }

  /** Fires the wake-up if the clock has reached it; true when it fired. */
  fireIfDue(clock: ManualClock): boolean {
    if (!this.armedAt || !this.wake || this.armedAt.getTime() > clock.now().getTime()) return false;
    const wake = this.wake;
    this.disarm();
    wake();
    return true;
  }
}
