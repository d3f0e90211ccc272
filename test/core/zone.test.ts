import { describe, expect, test } from 'vitest';
import type { Result } from '../../src/core/errors.ts';
import {
  describeZone,
  formatLocalDate,
  formatLocalDateTime,
  formatLocalDateTimeWithOffset,
  formatLocalTime,
  formatOffset,
  instantsOfLocal,
  isAmbiguousAbbreviation,
  offsetMinutesAt,
  parseZone,
  toLocal,
  UTC_ZONE,
  type LocalDateTime,
  type Zone,
} from '../../src/core/zone.ts';

function zone(name: string): Zone {
  const parsed = parseZone(name);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function errorOf<T>(result: Result<T>): string {
  return result.ok ? 'no error' : `${result.error.code}: ${result.error.message}`;
}

function local(text: string): LocalDateTime {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) throw new Error(`test fixture "${text}" is not YYYY-MM-DD HH:MM[:SS]`);
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? '0'));
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
}

function isoStrings(dates: Date[]): string[] {
  return dates.map((date) => date.toISOString());
}

const at = (iso: string) => new Date(iso);

describe('parseZone', () => {
  test('an IANA name comes back as itself, with no fixed offset', () => {
    expect(parseZone('Europe/Berlin')).toEqual({ ok: true, value: { name: 'Europe/Berlin', fixedOffsetMinutes: null } });
  });

  test.each([
    ['europe/berlin', 'Europe/Berlin'],
    ['EUROPE/BERLIN', 'Europe/Berlin'],
    ['america/denver', 'America/Denver'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['america/port-au-prince', 'America/Port-au-Prince'],
    ['america/indiana/indianapolis', 'America/Indiana/Indianapolis'],
    ['australia/lord_howe', 'Australia/Lord_Howe'],
    ['etc/gmt-14', 'Etc/GMT-14'],
  ])('IANA names match case-insensitively: %s is %s', (typed, canonical) => {
    expect(zone(typed).name).toBe(canonical);
  });

  test.each([
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['europe/kyiv', 'Europe/Kyiv'],
    ['america/nuuk', 'America/Nuuk'],
    ['asia/ho_chi_minh', 'Asia/Ho_Chi_Minh'],
    ['america/argentina/buenos_aires', 'America/Argentina/Buenos_Aires'],
    ['us/eastern', 'US/Eastern'],
    ['etc/utc', 'Etc/UTC'],
    ['Etc/UTC', 'Etc/UTC'],
    ['est5edt', 'EST5EDT'],
    ['America/Knox_IN', 'America/Knox_IN'],
  ])('an alias keeps the name the user typed rather than the one Intl resolves it to: %s is %s', (typed, name) => {
    expect(zone(typed)).toEqual({ name, fixedOffsetMinutes: null });
  });

  test.each([
    ['gb', 'GB'],
    ['nz', 'NZ'],
    ['Nz', 'NZ'],
    ['prc', 'PRC'],
    ['uct', 'UCT'],
    ['zulu', 'Zulu'],
    ['cuba', 'Cuba'],
    ['japan', 'Japan'],
  ])('short tzdb names are IANA zones in their tzdb spelling: %s is %s', (typed, name) => {
    expect(zone(typed)).toEqual({ name, fixedOffsetMinutes: null });
  });

  test('surrounding whitespace is ignored', () => {
    expect(zone('  Europe/Berlin \t').name).toBe('Europe/Berlin');
    expect(zone(' mst ')).toEqual({ name: 'MST', fixedOffsetMinutes: -420 });
  });

  test.each([
    ['UTC', 0],
    ['GMT', 0],
    ['EST', -300],
    ['EDT', -240],
    ['CST', -360],
    ['CDT', -300],
    ['MST', -420],
    ['MDT', -360],
    ['PST', -480],
    ['PDT', -420],
    ['AKST', -540],
    ['AKDT', -480],
    ['HST', -600],
    ['WET', 0],
    ['WEST', 60],
    ['BST', 60],
    ['CET', 60],
    ['CEST', 120],
    ['EET', 120],
    ['EEST', 180],
    ['MSK', 180],
    ['JST', 540],
    ['KST', 540],
    ['AWST', 480],
    ['ACST', 570],
    ['ACDT', 630],
    ['AEST', 600],
    ['AEDT', 660],
    ['NZST', 720],
    ['NZDT', 780],
  ])('the abbreviation %s is a fixed offset of %i minutes, typed in any case', (abbreviation, offset) => {
    const expected = { name: abbreviation, fixedOffsetMinutes: offset };
    expect(zone(abbreviation)).toEqual(expected);
    expect(zone(abbreviation.toLowerCase())).toEqual(expected);
  });

  test('Z is UTC', () => {
    expect(zone('Z')).toEqual({ name: 'UTC', fixedOffsetMinutes: 0 });
    expect(zone('z')).toEqual({ name: 'UTC', fixedOffsetMinutes: 0 });
  });

  test('abbreviations beat the IANA legacy zones of the same name, which Intl maps to cities with DST', () => {
    // Intl alone would resolve MST to America/Phoenix, EST to America/Panama and CET to Europe/Brussels.
    expect(zone('MST').fixedOffsetMinutes).toBe(-420);
    expect(zone('EST').fixedOffsetMinutes).toBe(-300);
    expect(offsetMinutesAt(zone('CET'), at('2026-07-01T12:00:00Z'))).toBe(60);
    expect(offsetMinutesAt(zone('Europe/Brussels'), at('2026-07-01T12:00:00Z'))).toBe(120);
  });

  test.each([
    ['UTC+2', 'UTC+02:00', 120],
    ['UTC-07:00', 'UTC-07:00', -420],
    ['UTC+05:30', 'UTC+05:30', 330],
    ['GMT+1', 'UTC+01:00', 60],
    ['utc+0530', 'UTC+05:30', 330],
    ['gmt-9:30', 'UTC-09:30', -570],
    ['UTC+14', 'UTC+14:00', 840],
    ['UTC-12', 'UTC-12:00', -720],
    ['UTC+0', 'UTC+00:00', 0],
    ['UTC-0', 'UTC+00:00', 0],
    ['UTC\u22125', 'UTC-05:00', -300],
  ])('%s is the fixed offset %s', (typed, name, offset) => {
    expect(zone(typed)).toEqual({ name, fixedOffsetMinutes: offset });
  });

  test('an offset beyond ±14:00 is refused', () => {
    expect(errorOf(parseZone('UTC+15'))).toBe('bad_zone: bad time zone "UTC+15": offsets run from UTC-14:00 to UTC+14:00');
    expect(errorOf(parseZone('UTC-14:30'))).toBe(
      'bad_zone: bad time zone "UTC-14:30": offsets run from UTC-14:00 to UTC+14:00',
    );
  });

  test('offset minutes past 59 are refused', () => {
    expect(errorOf(parseZone('UTC+05:75'))).toBe('bad_zone: bad time zone "UTC+05:75": offset minutes run 00-59');
  });

  test('an unknown zone is refused with a hint', () => {
    expect(errorOf(parseZone('Mars/Base'))).toBe(
      'bad_zone: unknown time zone "Mars/Base": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC',
    );
  });

  test.each(['', '   ', 'Europe/Berln', 'Mars', 'Europe/Berlin now', '+02:00', '02:00', 'UTC+', '/Europe/Berlin', 'Europe//Berlin'])(
    '%j is not a time zone',
    (typed) => {
      expect(errorOf(parseZone(typed))).toBe(
        `bad_zone: unknown time zone "${typed.trim()}": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC`,
      );
    },
  );

  test.each(['IST', 'ist', 'AST', 'NST', 'SST', 'ART'])(
    'the ambiguous abbreviation %s is refused although Intl would take it as some city',
    (typed) => {
      expect(errorOf(parseZone(typed))).toBe(
        `bad_zone: ambiguous time zone abbreviation "${typed}": use an IANA name like Europe/Berlin or an offset like UTC+05:30`,
      );
    },
  );

  test('isAmbiguousAbbreviation names exactly the short names parseZone refuses as ambiguous', () => {
    expect(['IST', 'ist', 'AST', 'SST'].filter(isAmbiguousAbbreviation)).toEqual(['IST', 'ist', 'AST', 'SST']);
    expect(['MST', 'BST', 'UTC', 'Z', 'GB', 'Eire', 'XYZ', 'Japan', 'is', 'when'].filter(isAmbiguousAbbreviation)).toEqual([]);
  });

  test.each(['Europe/Berlin', 'asia/kolkata', 'etc/utc', 'mst', 'z', 'UTC+5:30', 'gmt-7', 'nz', 'America/Knox_IN'])(
    'a parsed name parses back to the same zone, so it can be stored by name: %s',
    (typed) => {
      const first = zone(typed);
      expect(parseZone(first.name)).toEqual({ ok: true, value: first });
    },
  );
});

describe('UTC_ZONE', () => {
  test('is the fixed zero offset named UTC', () => {
    expect(UTC_ZONE).toEqual({ name: 'UTC', fixedOffsetMinutes: 0 });
    expect(zone('utc')).toEqual(UTC_ZONE);
  });
});

describe('offsetMinutesAt', () => {
  test.each([
    ['Europe/Berlin', '2026-01-15T12:00:00Z', 60],
    ['Europe/Berlin', '2026-07-15T12:00:00Z', 120],
    ['America/Denver', '2026-01-15T12:00:00Z', -420],
    ['America/Denver', '2026-07-15T12:00:00Z', -360],
    ['Asia/Kolkata', '2026-07-15T12:00:00Z', 330],
    ['Asia/Kathmandu', '2026-07-15T12:00:00Z', 345],
    ['Australia/Lord_Howe', '2026-07-15T12:00:00Z', 630],
    ['Australia/Lord_Howe', '2026-12-15T12:00:00Z', 660],
    ['Pacific/Chatham', '2026-07-15T12:00:00Z', 765],
    ['America/St_Johns', '2026-01-15T12:00:00Z', -210],
    ['Etc/UTC', '2026-07-15T12:00:00Z', 0],
    ['MST', '2026-07-15T12:00:00Z', -420],
    ['UTC+05:30', '2026-01-15T12:00:00Z', 330],
  ])('%s at %s is %i minutes ahead of UTC', (name, iso, expected) => {
    expect(offsetMinutesAt(zone(name), at(iso))).toBe(expected);
  });

  test('switches at the exact second of the transition, to the millisecond', () => {
    const berlin = zone('Europe/Berlin');
    expect(offsetMinutesAt(berlin, at('2026-03-29T00:59:59.999Z'))).toBe(60);
    expect(offsetMinutesAt(berlin, at('2026-03-29T01:00:00.000Z'))).toBe(120);
    expect(offsetMinutesAt(berlin, at('2026-10-25T00:59:59.999Z'))).toBe(120);
    expect(offsetMinutesAt(berlin, at('2026-10-25T01:00:00.000Z'))).toBe(60);
  });

  test('before standard time a zone keeps its local mean time, which is not a whole number of minutes', () => {
    // Berlin's LMT was +00:53:28 until 1893.
    expect(offsetMinutesAt(zone('Europe/Berlin'), at('1850-06-01T00:00:00Z'))).toBeCloseTo(53 + 28 / 60, 9);
  });
});

describe('toLocal', () => {
  test('reads the wall clock of an IANA zone in winter and in summer', () => {
    const berlin = zone('Europe/Berlin');
    expect(toLocal(at('2026-03-01T22:40:00Z'), berlin)).toEqual(local('2026-03-01 23:40'));
    expect(toLocal(at('2026-07-01T22:40:00Z'), berlin)).toEqual(local('2026-07-02 00:40'));
  });

  test('reads the wall clock of a fixed offset, including half hours and the day before', () => {
    expect(toLocal(at('2026-03-01T20:00:00Z'), zone('UTC+05:30'))).toEqual(local('2026-03-02 01:30'));
    expect(toLocal(at('2026-03-01T03:15:00Z'), zone('MST'))).toEqual(local('2026-02-28 20:15'));
  });

  test('keeps seconds and drops milliseconds', () => {
    expect(toLocal(at('2026-03-01T22:40:05.999Z'), zone('Europe/Berlin'))).toEqual(local('2026-03-01 23:40:05'));
    expect(toLocal(at('2026-03-01T22:40:05.999Z'), UTC_ZONE)).toEqual(local('2026-03-01 22:40:05'));
  });

  test('midnight is hour 0 of the new day, not hour 24 of the old one', () => {
    expect(toLocal(at('2026-03-01T23:00:00Z'), zone('Europe/Berlin'))).toEqual(local('2026-03-02 00:00'));
  });

  test('instants before 1970 floor to the earlier second', () => {
    expect(toLocal(at('1969-12-31T23:59:59.500Z'), zone('Etc/UTC'))).toEqual(local('1969-12-31 23:59:59'));
    expect(toLocal(at('1969-12-31T23:59:59.500Z'), UTC_ZONE)).toEqual(local('1969-12-31 23:59:59'));
  });

  test('years below 100 and before the common era are not shifted by Date.UTC or Intl eras', () => {
    const etcUtc = zone('Etc/UTC');
    expect(toLocal(at('0099-06-01T12:00:00Z'), etcUtc)).toEqual(local('0099-06-01 12:00'));
    expect(toLocal(at('0000-06-01T12:00:00Z'), etcUtc)).toEqual({ ...local('2000-06-01 12:00'), year: 0 });
    expect(toLocal(at('-000100-06-01T12:00:00Z'), etcUtc)).toEqual({ ...local('2000-06-01 12:00'), year: -100 });
  });
});

describe('instantsOfLocal', () => {
  const berlin = zone('Europe/Berlin');
  const denver = zone('America/Denver');

  test('an ordinary wall-clock time has exactly one instant', () => {
    expect(isoStrings(instantsOfLocal(local('2026-03-01 23:40'), berlin))).toEqual(['2026-03-01T22:40:00.000Z']);
    expect(isoStrings(instantsOfLocal(local('2026-07-01 23:40:15'), berlin))).toEqual(['2026-07-01T21:40:15.000Z']);
  });

  test('a time in the spring-forward gap has no instant', () => {
    expect(instantsOfLocal(local('2026-03-29 02:30'), berlin)).toEqual([]);
    expect(instantsOfLocal(local('2026-03-29 02:00'), berlin)).toEqual([]);
    expect(instantsOfLocal(local('2026-03-29 02:59:59'), berlin)).toEqual([]);
    expect(instantsOfLocal(local('2026-03-08 02:30'), denver)).toEqual([]);
  });

  test('the seconds either side of the gap exist', () => {
    expect(isoStrings(instantsOfLocal(local('2026-03-29 01:59:59'), berlin))).toEqual(['2026-03-29T00:59:59.000Z']);
    expect(isoStrings(instantsOfLocal(local('2026-03-29 03:00'), berlin))).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  test('a time in the fall-back overlap has two instants, earlier first', () => {
    expect(isoStrings(instantsOfLocal(local('2026-10-25 02:30'), berlin))).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
    expect(isoStrings(instantsOfLocal(local('2026-11-01 01:30'), denver))).toEqual([
      '2026-11-01T07:30:00.000Z',
      '2026-11-01T08:30:00.000Z',
    ]);
  });

  test('the overlap starts at the repeated wall-clock time and ends just before the old one comes back', () => {
    expect(isoStrings(instantsOfLocal(local('2026-10-25 02:00'), berlin))).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
    ]);
    expect(isoStrings(instantsOfLocal(local('2026-10-25 03:00'), berlin))).toEqual(['2026-10-25T02:00:00.000Z']);
    expect(isoStrings(instantsOfLocal(local('2026-10-25 01:59:59'), berlin))).toEqual(['2026-10-24T23:59:59.000Z']);
  });

  test('a half-hour DST shift makes a half-hour gap', () => {
    const lordHowe = zone('Australia/Lord_Howe');
    expect(instantsOfLocal(local('2026-10-04 02:15'), lordHowe)).toEqual([]);
    expect(isoStrings(instantsOfLocal(local('2026-10-04 02:30'), lordHowe))).toEqual(['2026-10-03T15:30:00.000Z']);
  });

  test('a day skipped by crossing the date line has no instants at all', () => {
    expect(instantsOfLocal(local('2011-12-30 12:00'), zone('Pacific/Apia'))).toEqual([]);
  });

  test('a fixed offset has exactly one instant even on DST days', () => {
    expect(isoStrings(instantsOfLocal(local('2026-03-08 02:30'), zone('MST')))).toEqual(['2026-03-08T09:30:00.000Z']);
    expect(isoStrings(instantsOfLocal(local('2026-03-29 02:30'), zone('CET')))).toEqual(['2026-03-29T01:30:00.000Z']);
    expect(isoStrings(instantsOfLocal(local('2026-03-01 00:10'), zone('UTC+05:30')))).toEqual([
      '2026-02-28T18:40:00.000Z',
    ]);
  });

  test.each(['Europe/Berlin', 'America/Denver', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Sao_Paulo'])(
    'every hour and a quarter of 2026 in %s round-trips through its wall clock',
    (name) => {
      const tz = zone(name);
      const start = Date.parse('2026-01-01T00:00:00Z');
      const end = Date.parse('2027-01-01T00:00:00Z');
      const misses: string[] = [];
      for (let ms = start; ms < end; ms += 75 * 60_000) {
        const instant = new Date(ms);
        const instants = instantsOfLocal(toLocal(instant, tz), tz);
        if (!isoStrings(instants).includes(instant.toISOString())) misses.push(instant.toISOString());
      }
      expect(misses).toEqual([]);
    },
  );
});

describe('formatOffset', () => {
  test.each([
    [60, '+01:00'],
    [-420, '-07:00'],
    [330, '+05:30'],
    [0, '+00:00'],
    [-0, '+00:00'],
    [-30, '-00:30'],
    [765, '+12:45'],
    [-570, '-09:30'],
    [840, '+14:00'],
    [53 + 28 / 60, '+00:53'],
  ])('%d minutes is %s', (minutes, expected) => {
    expect(formatOffset(minutes)).toBe(expected);
  });
});

describe('describeZone', () => {
  test.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Etc/UTC', 'Etc/UTC'],
    ['MST', 'MST (UTC-07:00)'],
    ['acst', 'ACST (UTC+09:30)'],
    ['GMT', 'GMT (UTC+00:00)'],
    ['UTC', 'UTC'],
    ['Z', 'UTC'],
    ['UTC+05:30', 'UTC+05:30'],
    ['GMT-7', 'UTC-07:00'],
  ])('%s is described as %s', (name, expected) => {
    expect(describeZone(zone(name))).toBe(expected);
  });

  test('UTC_ZONE is described as UTC', () => {
    expect(describeZone(UTC_ZONE)).toBe('UTC');
  });
});

describe('formatLocal…', () => {
  const berlin = zone('Europe/Berlin');
  const denver = zone('America/Denver');

  test('formats an instant as the zone shows it', () => {
    const instant = at('2026-03-01T22:40:00Z');
    expect(formatLocalDate(instant, berlin)).toBe('2026-03-01');
    expect(formatLocalTime(instant, berlin)).toBe('23:40');
    expect(formatLocalDateTime(instant, berlin)).toBe('2026-03-01 23:40');
    expect(formatLocalDateTimeWithOffset(instant, berlin)).toBe('2026-03-01 23:40 +01:00');
  });

  test('shows times to the minute, dropping seconds rather than rounding them', () => {
    expect(formatLocalTime(at('2026-03-01T22:40:05Z'), berlin)).toBe('23:40');
    expect(formatLocalDateTime(at('2026-03-01T22:40:59Z'), berlin)).toBe('2026-03-01 23:40');
    expect(formatLocalDateTimeWithOffset(at('2026-03-01T22:40:05Z'), berlin)).toBe('2026-03-01 23:40 +01:00');
    expect(formatLocalTime(at('2026-03-01T22:40:00.900Z'), berlin)).toBe('23:40');
  });

  test('the date is the zone’s date, which can differ from the UTC date in either direction', () => {
    expect(formatLocalDate(at('2026-03-01T23:40:00Z'), berlin)).toBe('2026-03-02');
    expect(formatLocalDate(at('2026-03-01T03:00:00Z'), denver)).toBe('2026-02-28');
    expect(formatLocalDate(at('2026-03-01T03:00:00Z'), UTC_ZONE)).toBe('2026-03-01');
  });

  test('the two occurrences of an overlapped time differ only in their offset', () => {
    expect(formatLocalDateTimeWithOffset(at('2026-10-25T00:30:00Z'), berlin)).toBe('2026-10-25 02:30 +02:00');
    expect(formatLocalDateTimeWithOffset(at('2026-10-25T01:30:00Z'), berlin)).toBe('2026-10-25 02:30 +01:00');
    expect(formatLocalDateTimeWithOffset(at('2026-11-01T07:30:00Z'), denver)).toBe('2026-11-01 01:30 -06:00');
    expect(formatLocalDateTimeWithOffset(at('2026-11-01T08:30:00Z'), denver)).toBe('2026-11-01 01:30 -07:00');
  });

  test('the clock jumps over the spring-forward gap', () => {
    expect(formatLocalDateTimeWithOffset(at('2026-03-29T00:59:59Z'), berlin)).toBe('2026-03-29 01:59 +01:00');
    expect(formatLocalDateTimeWithOffset(at('2026-03-29T01:00:00Z'), berlin)).toBe('2026-03-29 03:00 +02:00');
  });

  test('fixed offsets ignore DST', () => {
    expect(formatLocalDateTimeWithOffset(at('2026-07-01T12:00:00Z'), zone('MST'))).toBe('2026-07-01 05:00 -07:00');
    expect(formatLocalDateTimeWithOffset(at('2026-07-01T12:00:00Z'), zone('CET'))).toBe('2026-07-01 13:00 +01:00');
    expect(formatLocalDateTimeWithOffset(at('2026-07-01T12:00:00Z'), zone('UTC+05:30'))).toBe('2026-07-01 17:30 +05:30');
    expect(formatLocalDateTimeWithOffset(at('2026-07-01T12:00:00Z'), UTC_ZONE)).toBe('2026-07-01 12:00 +00:00');
  });

  test('years are always four digits', () => {
    expect(formatLocalDate(at('0099-06-01T12:00:00Z'), UTC_ZONE)).toBe('0099-06-01');
  });
});
