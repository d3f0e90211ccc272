import { describe, expect, test } from 'vitest';
import { parseZone, type Zone } from '../../src/core/zone.ts';
import { offsetChangesOnDayOf } from '../../src/postmortem/draft.ts';

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
