import schedule from 'node-schedule';
import type { Clock } from '../core/clock.ts';

/**
 * One alarm: armed for an instant, re-armed (replacing it) when an earlier or later one is wanted.
 * The nag scheduler holds one, for its earliest due time, instead of a job per warning or a poll.
 */
export interface WakeUpTimer {
  arm(at: Date, wake: () => void): void;
  disarm(): void;
}

/**
 * The real one: a single node-schedule job (it copes with far-off dates that setTimeout cannot
 * hold), set the clock's distance ahead.
 */
export function nodeScheduleTimer(clock: Clock): WakeUpTimer {
  let job: schedule.Job | null = null;
  let immediate: NodeJS.Immediate | null = null;
  const disarm = () => {
    job?.cancel();
    job = null;
    if (immediate) clearImmediate(immediate);
    immediate = null;
  };
  return {
    arm(at, wake) {
      disarm();
      // node-schedule ignores a date already past; such a wake-up is due now.
      const inMs = at.getTime() - clock.now().getTime();
      if (inMs <= 0) immediate = setImmediate(wake);
      else job = schedule.scheduleJob(new Date(Date.now() + inMs), wake);
    },
    disarm,
  };
}
