import { describe, expect, test } from 'vitest';
import {
  DEFAULT_NAG_POLICY,
  DEFAULT_STATUS_CADENCE,
  isHabitual,
  nextDailyAt,
  nextNagAt,
  nextStatusNagAt,
  stuckAt,
  stuckDeliveries,
  type NagState,
} from '../../src/core/nag-policy.ts';
import { parseZone } from '../../src/core/zone.ts';

const T0 = new Date('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const open = (over: Partial<NagState> = {}): NagState => ({
  state: 'open',
  openedAt: T0,
  episodeNagCount: 0,
  lastNagAt: null,
  ackedAt: null,
  snoozedUntil: null,
  ...over,
});

/** Walks a warning nobody acks through its nags: the minutes after opening at which each is sent. */
function nagMinutes(count: number): number[] {
  let w = open();
  const sent: number[] = [];
  for (let i = 0; i < count; i++) {
    const due = nextNagAt(w, DEFAULT_NAG_POLICY, T0)!;
    sent.push((due.getTime() - T0.getTime()) / 60_000);
    w = { ...w, episodeNagCount: w.episodeNagCount + 1, lastNagAt: due };
  }
  return sent;
}

describe('nextNagAt', () => {
  test('an unacked warning is nagged after 15 min, then 30 min, 1 h, 2 h, then every 4 h', () => {
    expect(nagMinutes(7)).toEqual([15, 45, 105, 225, 465, 705, 945]);
  });

  test('an acked warning is not nagged', () => {
    expect(nextNagAt(open({ ackedAt: at(5) }), DEFAULT_NAG_POLICY, at(5))).toBeNull();
  });

  test('a resolved warning is not nagged', () => {
    expect(nextNagAt(open({ state: 'resolved' }), DEFAULT_NAG_POLICY, at(5))).toBeNull();
  });

  test('a snoozed warning waits until its snooze ends, then carries on', () => {
    const snoozed = open({ snoozedUntil: at(120) });
    expect(nextNagAt(snoozed, DEFAULT_NAG_POLICY, at(10))).toEqual(at(120));
    // Once the snooze is over, the schedule applies again.
    expect(nextNagAt(snoozed, DEFAULT_NAG_POLICY, at(121))).toEqual(at(15));
  });

  test('a short snooze does not bring a nag forward', () => {
    expect(nextNagAt(open({ snoozedUntil: at(5) }), DEFAULT_NAG_POLICY, at(1))).toEqual(at(15));
  });

  test('a schedule of seconds works the same way (a demo)', () => {
    const policy = { ...DEFAULT_NAG_POLICY, scheduleMs: [5_000, 10_000] };
    const w = open({ episodeNagCount: 3, lastNagAt: at(1) });
    expect(nextNagAt(w, policy, at(1))).toEqual(new Date(at(1).getTime() + 10_000));
  });
});

describe('isHabitual', () => {
  const fires = (minutes: number[]) => minutes.map(at);

  test('five firings within 24 h without an ack are habitually ignored', () => {
    expect(isHabitual(fires([0, 60, 120, 180, 240]), null, DEFAULT_NAG_POLICY, at(240))).toBe(true);
  });

  test('four firings are not', () => {
    expect(isHabitual(fires([0, 60, 120, 180]), null, DEFAULT_NAG_POLICY, at(240))).toBe(false);
  });

  test('firings older than the window do not count', () => {
    expect(isHabitual(fires([0, 60, 120, 180, 24 * 60 + 30]), null, DEFAULT_NAG_POLICY, at(24 * 60 + 30))).toBe(false);
  });

  test('an ack answers the firings before it', () => {
    expect(isHabitual(fires([0, 60, 120, 180, 240]), at(130), DEFAULT_NAG_POLICY, at(240))).toBe(false);
  });
});

describe('nextStatusNagAt', () => {
  const incident = (severity: number) => ({ severity, startedAt: T0 });

  test('a SEV1 without any update is due 30 min after it started', () => {
    expect(nextStatusNagAt(incident(1), null, null, DEFAULT_STATUS_CADENCE)).toEqual(at(30));
  });

  test('a status update or a reminder starts the wait again', () => {
    expect(nextStatusNagAt(incident(2), at(20), null, DEFAULT_STATUS_CADENCE)).toEqual(at(80));
    expect(nextStatusNagAt(incident(2), at(20), at(80), DEFAULT_STATUS_CADENCE)).toEqual(at(140));
  });

  test('a SEV4 is never nagged', () => {
    expect(nextStatusNagAt(incident(4), null, null, DEFAULT_STATUS_CADENCE)).toBeNull();
  });
});

describe('stuckDeliveries', () => {
  const delivery = (id: number, state: 'pending' | 'delivered' | 'dead', madeAt: number, reportedAt: number | null = null) => ({
    id,
    state,
    createdAt: at(madeAt),
    stuckReportedAt: reportedAt === null ? null : at(reportedAt),
  });

  test('a delivery pending 5 min or more is reported once; a fresh, delivered or dead one is not', () => {
    const deliveries = [
      delivery(1, 'pending', 0),
      delivery(2, 'pending', 3),
      delivery(3, 'pending', 3.5),
      delivery(4, 'dead', 0),
      delivery(5, 'delivered', 0),
      delivery(6, 'pending', 0, 5),
    ];
    expect(stuckDeliveries(deliveries, at(8)).map((d) => d.id)).toEqual([1, 2]);
    expect(stuckDeliveries(deliveries, at(4.99)).map((d) => d.id)).toEqual([]);
  });

  test('stuckAt is when a delivery turns stuck: 5 min after it was made, or the threshold given', () => {
    expect(stuckAt(at(0))).toEqual(at(5));
    expect(stuckAt(at(0), 30_000)).toEqual(at(0.5));
    expect(stuckDeliveries([delivery(1, 'pending', 0)], at(0.5), 30_000)).toHaveLength(1);
  });
});

describe('nextDailyAt', () => {
  test('09:00 in the zone, today when it is still ahead, else tomorrow', () => {
    const berlin = parseZone('Europe/Berlin');
    if (!berlin.ok) throw new Error(berlin.error.message);
    expect(nextDailyAt(new Date('2026-03-02T06:00:00Z'), 9, berlin.value)).toEqual(new Date('2026-03-02T08:00:00Z'));
    expect(nextDailyAt(new Date('2026-03-02T08:00:00Z'), 9, berlin.value)).toEqual(new Date('2026-03-03T08:00:00Z'));
    // Summer time: 09:00 in Berlin is 07:00 UTC.
    expect(nextDailyAt(new Date('2026-07-01T12:00:00Z'), 9, berlin.value)).toEqual(new Date('2026-07-02T07:00:00Z'));
  });
});
