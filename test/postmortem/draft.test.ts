import { describe, expect, test } from 'vitest';
import { parseZone, type Zone } from '../../src/core/zone.ts';
import type { IncidentRecord } from '../../src/core/record.ts';
import {
  draftClock,
  gatherTimelineFacts,
  isOnTimeline,
  keyDurations,
  keyTimes,
  longDate,
  offsetChangesOnDayOf,
  showDuration,
  statusPhases,
  summaryWhen,
} from '../../src/postmortem/draft.ts';
import { renderPostmortem } from '../../src/postmortem/markdown.ts';
import { at, berlinRecord, entry, ongoingRecord } from './records.ts';

function zone(name: string): Zone {
  const z = parseZone(name);
  if (!z.ok) throw new Error(z.error.message);
  return z.value;
}

/** Whether the local day of each instant has a switch. */
function switchDays(zoneName: string, instants: string[]): boolean[] {
  return instants.map((iso) => offsetChangesOnDayOf(new Date(iso), zone(zoneName)));
}

describe('offsetChangesOnDayOf', () => {
  test('Berlin: the days clocks go forward and back, whatever the hour, and not the days around them', () => {
    // 29 March 2026 02:00 → 03:00 (01:00 UTC); 25 October 2026 03:00 → 02:00 (01:00 UTC).
    expect(
      switchDays('Europe/Berlin', [
        '2026-03-27T23:30:00Z', // Sat 28 March 00:30
        '2026-03-28T23:30:00Z', // Sun 29 March 00:30, before the switch
        '2026-03-29T21:59:00Z', // Sun 29 March 23:59
        '2026-03-29T22:00:00Z', // Mon 30 March 00:00
        '2026-10-24T21:59:00Z', // Sat 24 October 23:59
        '2026-10-24T22:00:00Z', // Sun 25 October 00:00
        '2026-10-25T22:59:00Z', // Sun 25 October 23:59
        '2026-10-25T23:00:00Z', // Mon 26 October 00:00
      ]),
    ).toEqual([false, true, true, false, false, true, true, false]);
  });

  test('Havana switches at midnight: the day that loses its midnight and the day that has it twice', () => {
    // 8 March 2026 00:00 → 01:00; 1 November 2026 01:00 → 00:00.
    expect(
      switchDays('America/Havana', ['2026-03-08T04:59:00Z', '2026-03-08T05:00:00Z', '2026-11-01T04:30:00Z', '2026-11-01T05:30:00Z', '2026-11-01T03:59:00Z']),
    ).toEqual([false, true, true, true, false]);
  });

  test('Lord Howe Island switches by half an hour', () => {
    // 5 April 2026 02:00 → 01:30; 4 October 2026 02:00 → 02:30.
    expect(switchDays('Australia/Lord_Howe', ['2026-04-04T12:00:00Z', '2026-04-04T14:00:00Z', '2026-10-03T16:00:00Z', '2026-10-04T14:00:00Z'])).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  test('a zone without DST, or a fixed offset, has no switch days', () => {
    expect(switchDays('Asia/Tokyo', ['2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z'])).toEqual([false, false]);
    expect(switchDays('MST', ['2026-03-08T10:00:00Z', '2026-11-01T10:00:00Z'])).toEqual([false, false]);
  });
});

describe('the summary sentence', () => {
  const berlin = zone('Europe/Berlin');
  const when = (start: string, end: string | null, zoneName = 'Europe/Berlin') =>
    summaryWhen(new Date(start), end ? new Date(end) : null, draftClock(zoneName === 'Europe/Berlin' ? berlin : zone(zoneName)));

  test('inside one local day it names the day once', () => {
    expect(when('2026-03-01T13:05:00Z', '2026-03-01T14:30:00Z')).toBe('On Sunday 1 March 2026, between 14:05 and 15:30 (Europe/Berlin)');
  });

  test('across midnight it says the end is the next day', () => {
    expect(when('2026-03-01T22:40:00Z', '2026-03-02T00:05:00Z')).toBe('On Sunday 1 March 2026, between 23:40 and 01:05 the next day (Europe/Berlin)');
  });

  test('in UTC the same instants are one day, as the zone says', () => {
    expect(when('2026-03-01T22:40:00Z', '2026-03-01T23:55:00Z', 'UTC')).toBe('On Sunday 1 March 2026, between 22:40 and 23:55 (UTC)');
  });

  test('over several days it names both days', () => {
    expect(when('2026-03-01T22:40:00Z', '2026-03-03T01:00:00Z')).toBe(
      'Between Sunday 1 March 2026 at 23:40 and Tuesday 3 March 2026 at 02:00 (Europe/Berlin)',
    );
  });

  test('still open it says since when', () => {
    expect(when('2026-03-01T22:40:00Z', null)).toBe('Since Sunday 1 March 2026 at 23:40 (Europe/Berlin)');
  });

  test('a leap day and a year end are named as calendars name them', () => {
    expect(longDate(new Date('2028-02-29T12:00:00Z'), berlin)).toBe('Tuesday 29 February 2028');
    expect(when('2026-12-31T22:30:00Z', '2027-01-01T00:30:00Z', 'UTC')).toBe('On Thursday 31 December 2026, between 22:30 and 00:30 the next day (UTC)');
  });
});

describe('key times and durations', () => {
  const head = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({ ...berlinRecord(), ...over });
  const factsOf = (record: IncidentRecord) => {
    const gather = gatherTimelineFacts(record);
    record.entries.forEach((e) => gather.add(e));
    return gather.facts();
  };
  const timesOf = (record: IncidentRecord) => Object.fromEntries(keyTimes(record, factsOf(record)).map((t) => [t.moment, t.at?.toISOString() ?? null]));

  test('detected is the first detected entry; acknowledged the first commander or responder entry after it; mitigated the first monitoring update', () => {
    const r = head();
    r.entries = [
      entry(1, '2026-03-01T22:40:00Z', 'opened', 'Incident opened'),
      // Backdated: the alert fired before anyone opened the incident.
      entry(2, '2026-03-01T22:30:00Z', 'detected', 'Alert fired', { recordedAt: at('2026-03-01T22:45:00Z') }),
      entry(3, '2026-03-01T22:20:00Z', 'action', 'Deploy 4812 went out', { recordedAt: at('2026-03-01T22:45:00Z') }),
      entry(4, '2026-03-01T22:47:00Z', 'note', 'Looking at the error rate', { author: 'sam', authorId: 'slack:sam' }),
    ].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    r.roles = [{ ...r.roles[0]!, assignedAt: at('2026-03-01T22:50:00Z') }];
    r.statusUpdates = [
      { ...r.statusUpdates[0]!, state: 'monitoring', postedAt: at('2026-03-01T23:10:00Z') },
      { ...r.statusUpdates[1]!, state: 'monitoring', postedAt: at('2026-03-01T23:30:00Z') },
    ];
    expect(timesOf(r)).toEqual({
      started: '2026-03-01T22:40:00.000Z',
      detected: '2026-03-01T22:30:00.000Z',
      acknowledged: '2026-03-01T22:47:00.000Z',
      mitigated: '2026-03-01T23:10:00.000Z',
      resolved: '2026-03-02T00:25:00.000Z',
      closed: '2026-03-02T00:40:00.000Z',
    });
    // Detected before the start: a negative time to detect is shown, and flagged, not hidden.
    const durations = keyDurations(keyTimes(r, factsOf(r)));
    expect(durations.map((d) => [d.name, d.ms / 60_000])).toEqual([
      ['timeToDetect', -10],
      ['timeToAcknowledge', 17],
      ['timeToMitigate', 30],
      ['timeToResolve', 105],
    ]);
    expect(showDuration(-600_000)).toBe('−10m (negative: check the backdated times)');
  });

  test('without a detected entry, detection is the opening; what is unknown has no duration', () => {
    const r = head({ roles: [], statusUpdates: [] });
    r.incident = { ...r.incident, resolvedAt: null, closedAt: null };
    r.entries = [entry(1, '2026-03-01T22:40:00Z', 'opened', 'Incident opened')];
    expect(timesOf(r)).toMatchObject({ detected: '2026-03-01T22:41:00.000Z', acknowledged: null, mitigated: null, resolved: null });
    expect(keyDurations(keyTimes(r, factsOf(r))).map((d) => d.name)).toEqual(['timeToDetect']);
  });
});

describe('status phases', () => {
  test('investigating from the start, each announced state until the next, resolution a moment; repeats merge', () => {
    const r = berlinRecord();
    r.statusUpdates = [
      { ...r.statusUpdates[0]!, id: 1, state: 'identified', postedAt: at('2026-03-01T22:50:00Z') },
      { ...r.statusUpdates[0]!, id: 2, state: 'identified', postedAt: at('2026-03-01T23:00:00Z') },
      { ...r.statusUpdates[0]!, id: 3, state: 'monitoring', postedAt: at('2026-03-01T23:30:00Z') },
      { ...r.statusUpdates[0]!, id: 4, state: 'resolved', postedAt: at('2026-03-02T00:25:00Z') },
    ];
    const phases = statusPhases(r, at('2026-03-02T02:00:00Z')).map((p) => [p.state, p.from.toISOString().slice(11, 16), p.to?.toISOString().slice(11, 16) ?? null]);
    expect(phases).toEqual([
      ['investigating', '22:40', '22:50'],
      ['identified', '22:50', '23:30'],
      ['monitoring', '23:30', '00:25'],
      ['resolved', '00:25', null],
    ]);
  });

  test('an open incident stays in its last state until the draft is made', () => {
    const r = ongoingRecord('UTC');
    expect(statusPhases(r, at('2026-03-02T02:00:00Z')).map((p) => [p.state, p.to?.toISOString()])).toEqual([['investigating', '2026-03-02T02:00:00.000Z']]);
  });
});

describe('impact and cause entries', () => {
  test('typed without a time they stay off the timeline; with a time they are on it too', () => {
    const untimed = entry(6, '2026-03-02T09:00:00Z', 'impact', 'About 1,200 orders lost');
    const backdated = entry(7, '2026-03-01T23:06:00Z', 'cause', 'Pool size dropped', { recordedAt: at('2026-03-02T09:01:00Z') });
    expect([isOnTimeline(untimed), isOnTimeline(backdated)]).toEqual([false, true]);
    const r = berlinRecord();
    r.entries = [...r.entries, backdated, untimed].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    const md = renderPostmortem(r, at('2026-03-02T10:00:00Z'));
    const timeline = md.slice(md.indexOf('## Timeline'), md.indexOf('## Public communications'));
    expect(timeline).toContain('| 00:06 | cause | Pool size dropped | dana |');
    expect(timeline).not.toContain('1,200');
    expect(md.slice(md.indexOf('## Impact'), md.indexOf('## Key times'))).toContain('| — | About 1,200 orders lost | dana |');
    expect(md.slice(md.indexOf('## Contributing factors'), md.indexOf('## What went well'))).toContain('| 2026-03-02 00:06 | Pool size dropped | dana |');
    // No day heading of their own for the day they were typed on.
    expect(md).not.toContain('### 2026-03-02 (Monday)\n\n| Time | Kind | Event | By |\n|---|---|---|---|\n| 10:00');
  });
});
