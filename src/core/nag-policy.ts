import { instantsOfLocal, toLocal, type Zone } from './zone.ts';

/**
 * When firebell nags (DESIGN §5, lesson 3): pure rules over a warning's nag state, so a test can
 * walk a warning through its whole life without a database or a timer.
 */

export interface NagPolicy {
  /** Waits before each nag of an episode, from its start or the nag before; the last one repeats. */
  scheduleMs: readonly number[];
  /** Fired this many times within `habitualWindowMs` without an ack: habitually ignored. */
  habitualFires: number;
  habitualWindowMs: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export const DEFAULT_NAG_POLICY: NagPolicy = {
  scheduleMs: [15 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS, 4 * HOUR_MS],
  habitualFires: 5,
  habitualWindowMs: 24 * HOUR_MS,
};

/** What the nag rules read of a warning. */
export interface NagState {
  state: 'open' | 'resolved';
  /** When the current episode began: the warning first fired, or fired again after resolving. */
  openedAt: Date;
  /** Nags sent in this episode. */
  episodeNagCount: number;
  lastNagAt: Date | null;
  ackedAt: Date | null;
  snoozedUntil: Date | null;
}

/**
 * When the next nag is due; null when none is (resolved or acked). A snoozed warning waits until
 * its snooze ends, then its schedule carries on; a due time in the past means "now".
 */
export function nextNagAt(w: NagState, policy: NagPolicy, now: Date): Date | null {
  if (w.state !== 'open' || w.ackedAt !== null) return null;
  const steps = policy.scheduleMs;
  const stepMs = steps[Math.min(w.episodeNagCount, steps.length - 1)]!;
  const from = w.episodeNagCount === 0 || w.lastNagAt === null ? w.openedAt : w.lastNagAt;
  const due = from.getTime() + stepMs;
  if (w.snoozedUntil !== null && w.snoozedUntil.getTime() > now.getTime()) {
    return new Date(Math.max(due, w.snoozedUntil.getTime()));
  }
  return new Date(due);
}

/**
 * Habitually ignored: it fired `habitualFires` times within the window, counting only firings since
 * it was last acked (an ack answers the firings before it).
 */
export function isHabitual(firedAt: readonly Date[], ackedAt: Date | null, policy: NagPolicy, now: Date): boolean {
  const since = Math.max(now.getTime() - policy.habitualWindowMs, ackedAt ? ackedAt.getTime() + 1 : -Infinity);
  return firedAt.filter((t) => t.getTime() >= since && t.getTime() <= now.getTime()).length >= policy.habitualFires;
}

/** SEV1-SEV4 → the longest an open incident may go without a public status update; null: no nag. */
export type StatusCadence = Readonly<Record<1 | 2 | 3 | 4, number | null>>;

export const DEFAULT_STATUS_CADENCE: StatusCadence = { 1: 30 * MINUTE_MS, 2: HOUR_MS, 3: 4 * HOUR_MS, 4: null };

/**
 * When the commander is next reminded to post a status update: a cadence after the later of the
 * last public update (the start, if none) and the last reminder. Null for a severity without one.
 */
export function nextStatusNagAt(
  incident: { severity: number; startedAt: Date },
  lastUpdateAt: Date | null,
  lastNagAt: Date | null,
  cadence: StatusCadence,
): Date | null {
  const ms = cadence[incident.severity as 1 | 2 | 3 | 4] ?? null;
  if (ms === null) return null;
  const from = Math.max(incident.startedAt.getTime(), lastUpdateAt?.getTime() ?? -Infinity, lastNagAt?.getTime() ?? -Infinity);
  return new Date(from + ms);
}

/** A status-page delivery as the stuck-delivery check reads it. */
export interface DeliveryWait {
  state: 'pending' | 'delivered' | 'dead';
  createdAt: Date;
  /** When this stuck episode was reported; null while it is not (a retry starts a new episode). */
  stuckReportedAt: Date | null;
}

export const STUCK_DELIVERY_MS = 5 * MINUTE_MS;

/** When a delivery made at `createdAt` counts as stuck if it is still pending. */
export function stuckAt(createdAt: Date, stuckAfterMs = STUCK_DELIVERY_MS): Date {
  return new Date(createdAt.getTime() + stuckAfterMs);
}

/**
 * Deliveries the ops channel must now hear about: pending for `stuckAfterMs` or longer, once per
 * episode. Dead ones are not among them: the delivery worker reports each as it dies.
 */
export function stuckDeliveries<D extends DeliveryWait>(deliveries: readonly D[], now: Date, stuckAfterMs = STUCK_DELIVERY_MS): D[] {
  return deliveries.filter(
    (d) => d.state === 'pending' && d.stuckReportedAt === null && stuckAt(d.createdAt, stuckAfterMs).getTime() <= now.getTime(),
  );
}

/** The next `hour`:00 on the zone's wall clock strictly after `now`: when the daily digest is due. */
export function nextDailyAt(now: Date, hour: number, zone: Zone): Date {
  const today = toLocal(now, zone);
  for (let offset = 0; offset < 3; offset++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const local = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour, minute: 0, second: 0 };
    // In a DST gap the hour does not exist that day: the next day's is taken.
    const at = instantsOfLocal(local, zone).find((t) => t.getTime() > now.getTime());
    if (at) return at;
  }
  throw new Error('no daily slot within three days');
}
