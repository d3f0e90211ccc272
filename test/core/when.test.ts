import { describe, expect, test } from 'vitest';
import type { Result } from '../../src/core/errors.ts';
import { parseWhen, resolveWhen, splitLeadingWhen, type When, type WhenContext } from '../../src/core/when.ts';
import { formatLocalDateTimeWithOffset, parseZone, UTC_ZONE, type Zone } from '../../src/core/zone.ts';

function zone(name: string): Zone {
  const parsed = parseZone(name);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function errorOf<T>(result: Result<T>): string {
  return result.ok ? 'no error' : `${result.error.code}: ${result.error.message}`;
}

function parsed(input: string): When {
  const result = parseWhen(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The resolved instant as an ISO string, or the error as `code: message`. */
function resolve(input: string, ctx: WhenContext): string {
  const result = resolveWhen(parsed(input), ctx);
  return result.ok ? result.value.toISOString() : `${result.error.code}: ${result.error.message}`;
}

const at = (iso: string) => new Date(iso);
const berlin = zone('Europe/Berlin');
const denver = zone('America/Denver');
const mst = zone('MST');

describe('parseWhen: clock times', () => {
  test('HH:MM is a clock time with no zone of its own', () => {
    expect(parseWhen('14:05')).toEqual({
      ok: true,
      value: { kind: 'clock', hour: 14, minute: 5, second: 0, zone: null, text: '14:05' },
    });
  });

  test('H:MM works without the leading zero', () => {
    expect(parsed('9:05')).toEqual({ kind: 'clock', hour: 9, minute: 5, second: 0, zone: null, text: '9:05' });
  });

  test('seconds are optional', () => {
    expect(parsed('14:05:30')).toEqual({ kind: 'clock', hour: 14, minute: 5, second: 30, zone: null, text: '14:05:30' });
  });

  test('the first and last minute of the day are accepted', () => {
    expect(parsed('00:00')).toMatchObject({ hour: 0, minute: 0, second: 0 });
    expect(parsed('23:59:59')).toMatchObject({ hour: 23, minute: 59, second: 59 });
  });

  test('surrounding whitespace is ignored', () => {
    expect(parsed('  14:05 \n')).toEqual({ kind: 'clock', hour: 14, minute: 5, second: 0, zone: null, text: '14:05' });
  });

  test.each([
    ['25:00', 'bad time "25:00": hours run 00-23'],
    ['24:00', 'bad time "24:00": hours run 00-23'],
    ['99:99', 'bad time "99:99": hours run 00-23'],
    ['12:60', 'bad time "12:60": minutes run 00-59'],
    ['12:00:60', 'bad time "12:00:60": seconds run 00-59'],
  ])('%s is refused: %s', (input, message) => {
    expect(errorOf(parseWhen(input))).toBe(`bad_time: ${message}`);
  });

  test('a zone word after the clock becomes its zone', () => {
    expect(parsed('23:40 MST')).toEqual({ kind: 'clock', hour: 23, minute: 40, second: 0, zone: mst, text: '23:40 MST' });
    expect(parsed('09:00 UTC')).toMatchObject({ zone: UTC_ZONE, text: '09:00 UTC' });
    expect(parsed('09:00 europe/berlin')).toMatchObject({ zone: berlin, text: '09:00 europe/berlin' });
    expect(parsed('09:00 UTC+05:30')).toMatchObject({ zone: { name: 'UTC+05:30', fixedOffsetMinutes: 330 } });
  });

  test('a whole-string time takes any zone, in any case, even a single-word IANA name', () => {
    expect(parsed('23:40 mst')).toMatchObject({ zone: mst });
    expect(parsed('23:40 west')).toMatchObject({ zone: { name: 'WEST', fixedOffsetMinutes: 60 } });
    expect(parsed('23:40 Japan')).toMatchObject({ zone: { name: 'Japan', fixedOffsetMinutes: null } });
  });
});

describe('parseWhen: dates with times', () => {
  test('YYYY-MM-DD HH:MM is a local date-time', () => {
    expect(parseWhen('2026-03-01 23:40')).toEqual({
      ok: true,
      value: {
        kind: 'local',
        local: { year: 2026, month: 3, day: 1, hour: 23, minute: 40, second: 0 },
        zone: null,
        text: '2026-03-01 23:40',
      },
    });
  });

  test('the time of a date-time may have seconds or a single-digit hour', () => {
    expect(parsed('2026-03-01 23:40:15')).toMatchObject({ local: { hour: 23, minute: 40, second: 15 } });
    expect(parsed('2026-03-01 9:05')).toMatchObject({ local: { hour: 9, minute: 5, second: 0 } });
  });

  test('extra spaces between date and time are allowed and not repeated in the text', () => {
    expect(parsed('2026-03-01    23:40')).toMatchObject({ kind: 'local', text: '2026-03-01 23:40' });
  });

  test('a zone word after the date-time becomes its zone', () => {
    expect(parsed('2026-03-01 23:40 Europe/Berlin')).toEqual({
      kind: 'local',
      local: { year: 2026, month: 3, day: 1, hour: 23, minute: 40, second: 0 },
      zone: berlin,
      text: '2026-03-01 23:40 Europe/Berlin',
    });
  });

  test('a date-time with an offset and a space instead of T (as logs print it) is an instant', () => {
    expect(parsed('2026-03-01 23:40:00+01:00')).toEqual({
      kind: 'instant',
      at: at('2026-03-01T22:40:00Z'),
      text: '2026-03-01 23:40:00+01:00',
    });
    expect(parsed('2026-03-01 23:40Z')).toMatchObject({ kind: 'instant', at: at('2026-03-01T23:40:00Z') });
  });

  test('February 29 exists in leap years only, counting the century rules', () => {
    expect(parsed('2008-02-29 10:00')).toMatchObject({ kind: 'local', local: { year: 2008, month: 2, day: 29 } });
    expect(parsed('2000-02-29 10:00')).toMatchObject({ kind: 'local', local: { year: 2000, month: 2, day: 29 } });
    expect(errorOf(parseWhen('2009-02-29 10:00'))).toBe('bad_date: bad date "2009-02-29": February 2009 has 28 days');
    expect(errorOf(parseWhen('1900-02-29 10:00'))).toBe('bad_date: bad date "1900-02-29": February 1900 has 28 days');
  });

  test.each([
    ['2008-02-30 10:00', 'bad_date: bad date "2008-02-30": February 2008 has 29 days'],
    ['2026-04-31 10:00', 'bad_date: bad date "2026-04-31": April 2026 has 30 days'],
    ['2026-12-32 10:00', 'bad_date: bad date "2026-12-32": December 2026 has 31 days'],
    ['2026-13-01 10:00', 'bad_date: bad date "2026-13-01": months run 01-12'],
    ['2026-00-10 10:00', 'bad_date: bad date "2026-00-10": months run 01-12'],
    ['2026-01-00 10:00', 'bad_date: bad date "2026-01-00": days start at 01'],
    ['2026-03-01 25:00', 'bad_time: bad time "25:00": hours run 00-23'],
    ['2026-03-01 24:00', 'bad_time: bad time "24:00": hours run 00-23'],
    ['2026-03-01 12:60', 'bad_time: bad time "12:60": minutes run 00-59'],
    ['2026-03-01', 'bad_time: a date needs a time: 2026-03-01 HH:MM'],
    ['2026-03-01 noon', 'bad_time: a date needs a time: 2026-03-01 HH:MM'],
    ['2026-03-01 Europe/Berlin', 'bad_time: a date needs a time: 2026-03-01 HH:MM'],
  ])('%s is refused', (input, error) => {
    expect(errorOf(parseWhen(input))).toBe(error);
  });

  test.each([
    ['0000-06-01 00:00', 'bad_date: bad date "0000-06-01": the year must be 1900 or later'],
    ['1899-12-31 23:59', 'bad_date: bad date "1899-12-31": the year must be 1900 or later'],
    ['0026-03-01 10:00', 'bad_date: bad date "0026-03-01": the year must be 1900 or later'],
    ['0099-01-01T00:00Z', 'bad_date: bad date "0099-01-01": the year must be 1900 or later'],
    ['0099-01-01T00:00', 'bad_date: bad date "0099-01-01": the year must be 1900 or later'],
    ['0000-06-01 00:00+01:00', 'bad_date: bad date "0000-06-01": the year must be 1900 or later'],
  ])('a year before 1900 is refused, in every date form: %s', (input, error) => {
    expect(errorOf(parseWhen(input))).toBe(error);
    expect(errorOf(splitLeadingWhen(`${input} x`))).toBe(error);
  });

  test('1900 itself is accepted', () => {
    expect(parsed('1900-01-01 00:00')).toMatchObject({ kind: 'local', local: { year: 1900, month: 1, day: 1 } });
  });

  test('a bad date is reported before a missing or bad time', () => {
    expect(errorOf(parseWhen('2026-13-01'))).toBe('bad_date: bad date "2026-13-01": months run 01-12');
    expect(errorOf(parseWhen('2008-02-30 25:00'))).toBe('bad_date: bad date "2008-02-30": February 2008 has 29 days');
  });
});

describe('parseWhen: ISO 8601', () => {
  test('without an offset it is a local date-time in the incident’s zone', () => {
    expect(parsed('2026-03-01T23:40')).toEqual({
      kind: 'local',
      local: { year: 2026, month: 3, day: 1, hour: 23, minute: 40, second: 0 },
      zone: null,
      text: '2026-03-01T23:40',
    });
  });

  test('without an offset it may be followed by a zone word', () => {
    expect(parsed('2026-03-01T23:40 Europe/Berlin')).toMatchObject({ kind: 'local', zone: berlin });
  });

  test.each([
    ['2026-03-01T23:40:00Z', '2026-03-01T23:40:00.000Z'],
    ['2026-03-01T23:40Z', '2026-03-01T23:40:00.000Z'],
    ['2026-03-01T23:40:00+01:00', '2026-03-01T22:40:00.000Z'],
    ['2026-03-01T23:40+01:00', '2026-03-01T22:40:00.000Z'],
    ['2026-03-01T23:40:00+0100', '2026-03-01T22:40:00.000Z'],
    ['2026-03-01T23:40+01', '2026-03-01T22:40:00.000Z'],
    ['2026-03-01T23:40:00-07:00', '2026-03-02T06:40:00.000Z'],
    ['2026-03-01T00:10:00+05:30', '2026-02-28T18:40:00.000Z'],
    ['2026-03-01T23:40:00\u221207:00', '2026-03-02T06:40:00.000Z'],
    ['2026-03-01t23:40:00z', '2026-03-01T23:40:00.000Z'],
    ['2026-03-01T23:40:00.123Z', '2026-03-01T23:40:00.123Z'],
    ['2026-03-01T23:40:00.5+01:00', '2026-03-01T22:40:00.500Z'],
    ['2026-03-01T23:40:00,25Z', '2026-03-01T23:40:00.250Z'],
    ['2026-03-01T23:40:00.123456789Z', '2026-03-01T23:40:00.123Z'],
  ])('%s is the instant %s', (input, iso) => {
    expect(parsed(input)).toEqual({ kind: 'instant', at: at(iso), text: input });
  });

  test('fractional seconds of a local date-time are dropped, as wall-clock times are kept to the second', () => {
    expect(parsed('2026-03-01T23:40:05.750')).toMatchObject({
      kind: 'local',
      local: { year: 2026, month: 3, day: 1, hour: 23, minute: 40, second: 5 },
    });
  });

  test.each([
    ['2026-03-01T25:00', 'bad_time: bad time "2026-03-01T25:00": hours run 00-23'],
    ['2026-03-01T23:60Z', 'bad_time: bad time "2026-03-01T23:60Z": minutes run 00-59'],
    ['2026-03-01T23:40+24:00', 'bad_time: bad time "2026-03-01T23:40+24:00": offset hours run 00-23'],
    ['2026-03-01T23:40+01:60', 'bad_time: bad time "2026-03-01T23:40+01:60": offset minutes run 00-59'],
    ['2026-02-30T10:00Z', 'bad_date: bad date "2026-02-30": February 2026 has 28 days'],
    [
      '2026-03-01T2340',
      'bad_time: bad time "2026-03-01T2340": use HH:MM, YYYY-MM-DD HH:MM or ISO 8601 like 2026-03-01T23:40:00+01:00, optionally followed by a time zone',
    ],
    [
      '2026-03-01T11:40 PM',
      'bad_zone: unknown time zone "PM": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC',
    ],
    [
      '2026-03-01T23:40 IST',
      'bad_zone: ambiguous time zone abbreviation "IST": use an IANA name like Europe/Berlin or an offset like UTC+05:30',
    ],
  ])('%s is refused', (input, error) => {
    expect(errorOf(parseWhen(input))).toBe(error);
  });

  test('a time with an offset cannot also take a zone word', () => {
    expect(errorOf(parseWhen('2026-03-01T23:40Z MST'))).toBe(
      'bad_time: bad time "2026-03-01T23:40Z MST": a time with an offset cannot also have a time zone',
    );
  });
});

describe('parseWhen: not a time', () => {
  const usage =
    'use HH:MM, YYYY-MM-DD HH:MM or ISO 8601 like 2026-03-01T23:40:00+01:00, optionally followed by a time zone';

  test.each(['yesterday', '3pm', '1405', '14.05', '14:5', '', '   ', 'now'])('%j is refused with the formats', (input) => {
    expect(errorOf(parseWhen(input))).toBe(`bad_time: bad time "${input.trim()}": ${usage}`);
  });

  test('an unknown zone word is reported as such', () => {
    expect(errorOf(parseWhen('23:40 Mars/Base'))).toBe(
      'bad_zone: unknown time zone "Mars/Base": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC',
    );
  });

  test('anything after the zone word is refused', () => {
    expect(errorOf(parseWhen('23:40 MST please'))).toBe(`bad_time: bad time "23:40 MST please": ${usage}`);
    expect(errorOf(parseWhen('2026-03-01 23:40 UTC now'))).toBe(`bad_time: bad time "2026-03-01 23:40 UTC now": ${usage}`);
  });
});

describe('splitLeadingWhen', () => {
  test('a leading clock time is split from the text', () => {
    expect(splitLeadingWhen('14:05 Rolled back')).toEqual({
      ok: true,
      value: {
        when: { kind: 'clock', hour: 14, minute: 5, second: 0, zone: null, text: '14:05' },
        rest: 'Rolled back',
      },
    });
  });

  test('a leading date-time is split from the text', () => {
    expect(splitLeadingWhen('2026-03-02 00:31 No errors')).toEqual({
      ok: true,
      value: {
        when: {
          kind: 'local',
          local: { year: 2026, month: 3, day: 2, hour: 0, minute: 31, second: 0 },
          zone: null,
          text: '2026-03-02 00:31',
        },
        rest: 'No errors',
      },
    });
  });

  test('a leading ISO instant is split from the text', () => {
    expect(splitLeadingWhen('2026-03-01T23:40:00+01:00 Paged the DBA')).toEqual({
      ok: true,
      value: { when: { kind: 'instant', at: at('2026-03-01T22:40:00Z'), text: '2026-03-01T23:40:00+01:00' }, rest: 'Paged the DBA' },
    });
  });

  test('the rest keeps its inner spacing, quotes and line breaks exactly', () => {
    const rest = 'Rolled   back "v1.2"  \'fast\'\n  then waited\t…  ';
    expect(splitLeadingWhen(`14:05   ${rest}`)).toMatchObject({ ok: true, value: { rest } });
  });

  test('leading whitespace before the time and before the rest is dropped', () => {
    expect(splitLeadingWhen('  \t14:05 \t Rolled back')).toMatchObject({ ok: true, value: { when: { hour: 14 }, rest: 'Rolled back' } });
  });

  test('a time with nothing after it leaves an empty rest for the caller to judge', () => {
    expect(splitLeadingWhen('14:05')).toMatchObject({ ok: true, value: { when: { hour: 14 }, rest: '' } });
    expect(splitLeadingWhen('14:05   ')).toMatchObject({ ok: true, value: { rest: '' } });
    expect(splitLeadingWhen('2026-03-02 00:31')).toMatchObject({ ok: true, value: { when: { kind: 'local' }, rest: '' } });
    expect(splitLeadingWhen('14:05 MST')).toMatchObject({ ok: true, value: { when: { zone: mst }, rest: '' } });
  });

  test.each([
    '502s errors on checkout',
    'v1.2 rolled out',
    '3pm standup moved',
    'Rolled back',
    '1405 was the build',
    '14.05 percent of requests failed',
    '14:05, rolled back',
    '123:45 is a port',
    '1:5 ratio',
    '#14:05 not a time',
    '',
    '   ',
  ])('text that does not start with a time attempt stays text: %j', (input) => {
    expect(splitLeadingWhen(input)).toEqual({ ok: true, value: { when: null, rest: input } });
  });

  test('a word after the time that is not a zone stays in the text', () => {
    expect(splitLeadingWhen('14:05 Rolled back')).toMatchObject({ value: { when: { zone: null }, rest: 'Rolled back' } });
    expect(splitLeadingWhen('14:05 DB failover')).toMatchObject({ value: { when: { zone: null }, rest: 'DB failover' } });
    expect(splitLeadingWhen('14:05 and/or')).toMatchObject({ value: { when: { zone: null }, rest: 'and/or' } });
    expect(splitLeadingWhen('14:05 US/EU traffic')).toMatchObject({ value: { when: { zone: null }, rest: 'US/EU traffic' } });
    expect(splitLeadingWhen('14:05 is when it broke')).toMatchObject({ value: { when: { zone: null }, rest: 'is when it broke' } });
  });

  test.each(['IST', 'AST', 'SST', 'NST', 'EAT', 'CAT', 'ART'])(
    'an ambiguous abbreviation in capitals after the time is an error, as --at and --tz make it: %s',
    (abbreviation) => {
      const error = `bad_zone: ambiguous time zone abbreviation "${abbreviation}": use an IANA name like Europe/Berlin or an offset like UTC+05:30`;
      expect(errorOf(splitLeadingWhen(`14:05 ${abbreviation} deploy`))).toBe(error);
      expect(errorOf(splitLeadingWhen(`2026-03-01 14:05 ${abbreviation} deploy`))).toBe(error);
      expect(errorOf(splitLeadingWhen(`2026-03-01T14:05 ${abbreviation}`))).toBe(error);
      expect(errorOf(parseWhen(`14:05 ${abbreviation}`))).toBe(error);
    },
  );

  test.each(['14:05 ist kaputt', '14:05 Ist das so?', '14:05 cat pictures down', '14:05 Art team paged', '14:05 Sst'])(
    'an ambiguous abbreviation not in capitals is prose: %j',
    (input) => {
      expect(splitLeadingWhen(input)).toMatchObject({ ok: true, value: { when: { zone: null }, rest: input.slice(6) } });
    },
  );

  test('after an instant, an ambiguous abbreviation is prose: the instant has its offset', () => {
    expect(splitLeadingWhen('2026-03-01T14:05Z IST team paged')).toMatchObject({
      ok: true,
      value: { when: { kind: 'instant' }, rest: 'IST team paged' },
    });
  });

  test.each([
    ['14:05 MST Rolled back', 'MST', '14:05 MST'],
    ['14:05 mst Rolled back', 'MST', '14:05 mst'],
    ['09:00 UTC Rolled back', 'UTC', '09:00 UTC'],
    ['09:00 utc Rolled back', 'UTC', '09:00 utc'],
    ['09:00 Z Rolled back', 'UTC', '09:00 Z'],
    ['14:05 Europe/Berlin Rolled back', 'Europe/Berlin', '14:05 Europe/Berlin'],
    ['14:05 america/denver Rolled back', 'America/Denver', '14:05 america/denver'],
    ['14:05 Etc/UTC Rolled back', 'Etc/UTC', '14:05 Etc/UTC'],
    ['14:05 us/eastern Rolled back', 'US/Eastern', '14:05 us/eastern'],
    ['14:05 UTC+2 Rolled back', 'UTC+02:00', '14:05 UTC+2'],
    ['14:05 gmt-07:00 Rolled back', 'UTC-07:00', '14:05 gmt-07:00'],
    ['14:05 WEST Rolled back', 'WEST', '14:05 WEST'],
    ['14:05:30   CEST   Rolled back', 'CEST', '14:05:30 CEST'],
  ])('a zone word after the time is taken: %j', (input, zoneName, text) => {
    expect(splitLeadingWhen(input)).toMatchObject({
      ok: true,
      value: { when: { kind: 'clock', zone: { name: zoneName }, text }, rest: 'Rolled back' },
    });
  });

  test('a zone word after a date-time is taken', () => {
    expect(splitLeadingWhen('2026-03-01 23:40 Europe/Berlin Deploy')).toMatchObject({
      ok: true,
      value: { when: { kind: 'local', zone: berlin, text: '2026-03-01 23:40 Europe/Berlin' }, rest: 'Deploy' },
    });
    expect(splitLeadingWhen('2026-03-01T23:40 MST Deploy')).toMatchObject({
      ok: true,
      value: { when: { kind: 'local', zone: mst, text: '2026-03-01T23:40 MST' }, rest: 'Deploy' },
    });
  });

  test('a word after an instant is text, as the instant already has its offset', () => {
    expect(splitLeadingWhen('2026-03-01T23:40Z MST team paged')).toMatchObject({
      ok: true,
      value: { when: { kind: 'instant', at: at('2026-03-01T23:40:00Z') }, rest: 'MST team paged' },
    });
  });

  test('English words that are also abbreviations count as zones only in capitals', () => {
    expect(splitLeadingWhen('14:05 west region failing over')).toMatchObject({
      value: { when: { zone: null }, rest: 'west region failing over' },
    });
    expect(splitLeadingWhen('14:05 West region failing over')).toMatchObject({
      value: { when: { zone: null }, rest: 'West region failing over' },
    });
    expect(splitLeadingWhen('14:05 wet floor')).toMatchObject({ value: { when: { zone: null }, rest: 'wet floor' } });
  });

  test('single-word IANA names are prose in free text', () => {
    expect(splitLeadingWhen('14:05 Japan team paged')).toMatchObject({ value: { when: { zone: null }, rest: 'Japan team paged' } });
    expect(splitLeadingWhen('14:05 GB traffic dropped')).toMatchObject({ value: { when: { zone: null }, rest: 'GB traffic dropped' } });
    expect(splitLeadingWhen('14:05 Universal search down')).toMatchObject({
      value: { when: { zone: null }, rest: 'Universal search down' },
    });
  });

  test('a misspelt Area/Location zone is an error rather than text, so the time is not silently misplaced', () => {
    expect(errorOf(splitLeadingWhen('14:05 Europe/Berln Rolled back'))).toBe(
      'bad_zone: unknown time zone "Europe/Berln": use an IANA name like Europe/Berlin or an abbreviation like MST or UTC',
    );
    expect(errorOf(splitLeadingWhen('14:05 UTC+15 Rolled back'))).toBe(
      'bad_zone: bad time zone "UTC+15": offsets run from UTC-14:00 to UTC+14:00',
    );
  });

  test.each([
    ['25:00 deploy', 'bad_time: bad time "25:00": hours run 00-23'],
    ['24:00 deploy', 'bad_time: bad time "24:00": hours run 00-23'],
    ['12:60 deploy', 'bad_time: bad time "12:60": minutes run 00-59'],
    ['2008-02-30 10:00 deploy', 'bad_date: bad date "2008-02-30": February 2008 has 29 days'],
    ['2026-13-01 10:00 deploy', 'bad_date: bad date "2026-13-01": months run 01-12'],
    ['2026-03-02 deploy', 'bad_time: a date needs a time: 2026-03-02 HH:MM'],
    ['2026-03-02', 'bad_time: a date needs a time: 2026-03-02 HH:MM'],
    ['2026-03-01T25:00 deploy', 'bad_time: bad time "2026-03-01T25:00": hours run 00-23'],
    [
      '2026-03-02: deploy',
      'bad_time: bad time "2026-03-02:": use HH:MM, YYYY-MM-DD HH:MM or ISO 8601 like 2026-03-01T23:40:00+01:00, optionally followed by a time zone',
    ],
  ])('a time attempt that is invalid is an error, not text: %j', (input, error) => {
    expect(errorOf(splitLeadingWhen(input))).toBe(error);
  });
});

describe('resolveWhen: the nearest occurrence of a clock time', () => {
  test('a clock time on the anchor’s day resolves to that day', () => {
    const ctx = { zone: UTC_ZONE, anchor: at('2026-03-01T12:00:00Z'), now: at('2026-03-01T13:00:00Z') };
    expect(resolve('11:00', ctx)).toBe('2026-03-01T11:00:00.000Z');
    expect(resolve('12:30:15', ctx)).toBe('2026-03-01T12:30:15.000Z');
  });

  test('a bare 00:05 typed after 23:50 lands on the next day', () => {
    // Berlin 2026-03-01 23:50 is 22:50Z.
    const ctx = { zone: berlin, anchor: at('2026-03-01T22:50:00Z'), now: at('2026-03-02T08:00:00Z') };
    expect(resolve('00:05', ctx)).toBe('2026-03-01T23:05:00.000Z');
  });

  test('a bare 23:55 typed after 00:10 lands on the previous day', () => {
    // Berlin 2026-03-02 00:10 is 2026-03-01 23:10Z.
    const ctx = { zone: berlin, anchor: at('2026-03-01T23:10:00Z'), now: at('2026-03-02T08:00:00Z') };
    expect(resolve('23:55', ctx)).toBe('2026-03-01T22:55:00.000Z');
  });

  test('the anchor’s day is its day in the zone, not in UTC', () => {
    // 2026-03-01T23:30Z is already 2026-03-02 in Berlin, but still 2026-03-01 16:30 in Denver.
    const anchor = at('2026-03-01T23:30:00Z');
    const now = at('2026-03-03T00:00:00Z');
    expect(resolve('01:00', { zone: berlin, anchor, now })).toBe('2026-03-02T00:00:00.000Z');
    expect(resolve('16:00', { zone: denver, anchor, now })).toBe('2026-03-01T23:00:00.000Z');
  });

  test('a timeline replayed from notes crosses midnight without dates, each time anchored on the one before', () => {
    const now = at('2026-03-02T12:00:00Z');
    let anchor = at('2026-03-01T21:30:00Z'); // 22:30 in Berlin, when the incident started
    const resolved: string[] = [];
    for (const clock of ['22:41', '23:10', '23:50', '00:05', '00:40', '01:15', '02:58']) {
      const result = resolveWhen(parsed(clock), { zone: berlin, anchor, now });
      if (!result.ok) throw new Error(result.error.message);
      resolved.push(formatLocalDateTimeWithOffset(result.value, berlin));
      anchor = result.value;
    }
    expect(resolved).toEqual([
      '2026-03-01 22:41 +01:00',
      '2026-03-01 23:10 +01:00',
      '2026-03-01 23:50 +01:00',
      '2026-03-02 00:05 +01:00',
      '2026-03-02 00:40 +01:00',
      '2026-03-02 01:15 +01:00',
      '2026-03-02 02:58 +01:00',
    ]);
  });

  test('a replay may also step back over midnight', () => {
    const now = at('2026-03-02T12:00:00Z');
    let anchor = at('2026-03-01T23:20:00Z'); // 00:20 on 2026-03-02 in Berlin
    const resolved: string[] = [];
    for (const clock of ['00:05', '23:58', '23:30']) {
      const result = resolveWhen(parsed(clock), { zone: berlin, anchor, now });
      if (!result.ok) throw new Error(result.error.message);
      resolved.push(formatLocalDateTimeWithOffset(result.value, berlin));
      anchor = result.value;
    }
    expect(resolved).toEqual(['2026-03-02 00:05 +01:00', '2026-03-01 23:58 +01:00', '2026-03-01 23:30 +01:00']);
  });

  test('exactly twelve hours either way is a tie, and the earlier occurrence wins', () => {
    const ctx = { zone: UTC_ZONE, anchor: at('2026-03-01T12:00:00Z'), now: at('2026-03-03T00:00:00Z') };
    expect(resolve('00:00', ctx)).toBe('2026-03-01T00:00:00.000Z');
  });

  test('one second past the halfway point tips the choice to the next day', () => {
    const ctx = { zone: UTC_ZONE, anchor: at('2026-03-01T12:00:01Z'), now: at('2026-03-03T00:00:00Z') };
    expect(resolve('00:00', ctx)).toBe('2026-03-02T00:00:00.000Z');
  });

  test('the occurrence is nearest the anchor, not now, so old notes stay on their day', () => {
    const ctx = { zone: UTC_ZONE, anchor: at('2026-02-20T09:00:00Z'), now: at('2026-03-01T10:00:00Z') };
    expect(resolve('09:30', ctx)).toBe('2026-02-20T09:30:00.000Z');
  });

  test('a zone word overrides the incident’s zone for that time', () => {
    // A Berlin incident; 14:05 MST is 21:05Z, which is 22:05 in Berlin.
    const ctx = { zone: berlin, anchor: at('2026-03-01T21:00:00Z'), now: at('2026-03-01T23:00:00Z') };
    expect(resolve('14:05 MST', ctx)).toBe('2026-03-01T21:05:00.000Z');
    expect(resolve('14:05', ctx)).toBe('2026-03-01T13:05:00.000Z');
    expect(resolve('09:00 UTC', ctx)).toBe('2026-03-01T09:00:00.000Z');
    // 21:00Z is 02:30 on 2026-03-02 at +05:30.
    expect(resolve('02:35 UTC+05:30', ctx)).toBe('2026-03-01T21:05:00.000Z');
  });

  test('the nearest day is chosen in the override zone', () => {
    // Anchor 2026-03-02 00:30 in Berlin is 2026-03-01 16:30 in MST, so 16:45 MST is that same evening.
    const ctx = { zone: berlin, anchor: at('2026-03-01T23:30:00Z'), now: at('2026-03-02T12:00:00Z') };
    expect(resolve('16:45 MST', ctx)).toBe('2026-03-01T23:45:00.000Z');
  });
});

describe('resolveWhen: dates and instants', () => {
  const ctx = { zone: berlin, anchor: at('2026-03-01T10:00:00Z'), now: at('2026-03-10T12:00:00Z') };

  test('a date-time without a zone is in the incident’s zone', () => {
    expect(resolve('2026-03-01 23:40', ctx)).toBe('2026-03-01T22:40:00.000Z');
    expect(resolve('2026-03-01T23:40', ctx)).toBe('2026-03-01T22:40:00.000Z');
    expect(resolve('2026-07-01 23:40', { ...ctx, now: at('2026-08-01T00:00:00Z') })).toBe('2026-07-01T21:40:00.000Z');
  });

  test('a date-time far from the anchor is still that date', () => {
    expect(resolve('2026-02-03 04:05:06', ctx)).toBe('2026-02-03T03:05:06.000Z');
  });

  test('a date-time with a zone word is in that zone', () => {
    expect(resolve('2026-03-01 23:40 UTC', ctx)).toBe('2026-03-01T23:40:00.000Z');
    expect(resolve('2026-03-01 23:40 America/Denver', ctx)).toBe('2026-03-02T06:40:00.000Z');
  });

  test('a fixed abbreviation means its offset even when the IANA zone of that name is in summer time', () => {
    const summer = { zone: berlin, anchor: at('2026-07-01T10:00:00Z'), now: at('2026-07-02T00:00:00Z') };
    expect(resolve('2026-07-01 12:00 CET', summer)).toBe('2026-07-01T11:00:00.000Z');
    expect(resolve('2026-07-01 12:00', summer)).toBe('2026-07-01T10:00:00.000Z');
    expect(resolve('2026-07-01 12:00 MST', summer)).toBe('2026-07-01T19:00:00.000Z');
  });

  test('an instant ignores the incident’s zone and the anchor', () => {
    expect(resolve('2026-03-01T23:40:00Z', ctx)).toBe('2026-03-01T23:40:00.000Z');
    expect(resolve('2026-02-01T23:40:00-07:00', ctx)).toBe('2026-02-02T06:40:00.000Z');
    expect(resolve('2026-03-01T23:40:00.123+0100', ctx)).toBe('2026-03-01T22:40:00.123Z');
  });
});

describe('resolveWhen: the future is refused', () => {
  // 10:30:00 in Berlin.
  const now = at('2026-03-01T09:30:00Z');
  const ctx = { zone: berlin, anchor: at('2026-03-01T09:00:00Z'), now };

  test('a clock time later than now is refused, saying what time it is in that zone', () => {
    expect(resolve('11:00', ctx)).toBe('future_time: 11:00 is in the future (it is 10:30 Europe/Berlin now)');
  });

  test('a clock time up to 60 seconds ahead is accepted as clock skew', () => {
    expect(resolve('10:30', ctx)).toBe('2026-03-01T09:30:00.000Z');
    expect(resolve('10:31', ctx)).toBe('2026-03-01T09:31:00.000Z');
    expect(resolve('10:31:01', ctx)).toBe('future_time: 10:31:01 is in the future (it is 10:30 Europe/Berlin now)');
  });

  test('an instant exactly 60 seconds ahead is accepted and one millisecond more is refused', () => {
    expect(resolve('2026-03-01T09:31:00.000Z', ctx)).toBe('2026-03-01T09:31:00.000Z');
    expect(resolve('2026-03-01T09:31:00.001Z', ctx)).toBe(
      'future_time: 2026-03-01T09:31:00.001Z is in the future (it is 2026-03-01 10:30 Europe/Berlin now)',
    );
  });

  test('a clock time whose nearest occurrence is in the future is refused, not moved to the day before', () => {
    // Anchor 23:50 on 2026-03-01, now 00:20 on 2026-03-02 (Berlin): 00:30 is nearest tomorrow-of-anchor.
    const justAfterMidnight = { zone: berlin, anchor: at('2026-03-01T22:50:00Z'), now: at('2026-03-01T23:20:00Z') };
    expect(resolve('00:30', justAfterMidnight)).toBe(
      'future_time: 00:30 is in the future (it is 00:20 Europe/Berlin now)',
    );
    expect(resolve('00:15', justAfterMidnight)).toBe('2026-03-01T23:15:00.000Z');
  });

  test('a date-time in the future is refused, with today’s date in the message', () => {
    expect(resolve('2026-03-05 10:00', ctx)).toBe(
      'future_time: 2026-03-05 10:00 is in the future (it is 2026-03-01 10:30 Europe/Berlin now)',
    );
  });

  test('the message uses the override zone when one was given', () => {
    // now is 02:30 MST.
    expect(resolve('03:00 MST', ctx)).toBe('future_time: 03:00 MST is in the future (it is 02:30 MST now)');
    expect(resolve('02:00 MST', ctx)).toBe('2026-03-01T09:00:00.000Z');
  });

  test('the message shows now to the minute, in a fixed-offset incident too', () => {
    const fixed = { zone: mst, anchor: at('2026-03-01T09:00:00Z'), now: at('2026-03-01T09:30:59Z') };
    expect(resolve('02:45', fixed)).toBe('future_time: 02:45 is in the future (it is 02:30 MST now)');
  });
});

describe('resolveWhen: daylight saving time', () => {
  test('a clock time in the spring-forward gap is refused, naming the date and the jump', () => {
    // Anchor 01:50 on 2026-03-29 in Berlin (CET).
    const ctx = { zone: berlin, anchor: at('2026-03-29T00:50:00Z'), now: at('2026-03-30T00:00:00Z') };
    expect(resolve('02:30', ctx)).toBe(
      'nonexistent_time: 2026-03-29 02:30 does not exist in Europe/Berlin (clocks skipped from 02:00 to 03:00)',
    );
    expect(resolve('02:00', ctx)).toBe(
      'nonexistent_time: 2026-03-29 02:00 does not exist in Europe/Berlin (clocks skipped from 02:00 to 03:00)',
    );
  });

  test('the minutes either side of the gap resolve normally', () => {
    const ctx = { zone: berlin, anchor: at('2026-03-29T00:50:00Z'), now: at('2026-03-30T00:00:00Z') };
    expect(resolve('01:59', ctx)).toBe('2026-03-29T00:59:00.000Z');
    expect(resolve('03:00', ctx)).toBe('2026-03-29T01:00:00.000Z');
    expect(resolve('03:10', ctx)).toBe('2026-03-29T01:10:00.000Z');
  });

  test('a gap on a day further from the anchor does not stop a nearer day from being chosen', () => {
    // Anchor noon on 2026-03-28; 02:30 that morning is nearer than the swallowed 02:30 next night.
    const ctx = { zone: berlin, anchor: at('2026-03-28T11:00:00Z'), now: at('2026-03-30T00:00:00Z') };
    expect(resolve('02:30', ctx)).toBe('2026-03-28T01:30:00.000Z');
  });

  test('a date-time in the spring-forward gap is refused', () => {
    const ctx = { zone: berlin, anchor: at('2026-03-01T00:00:00Z'), now: at('2026-04-01T00:00:00Z') };
    expect(resolve('2026-03-29 02:30', ctx)).toBe(
      'nonexistent_time: 2026-03-29 02:30 does not exist in Europe/Berlin (clocks skipped from 02:00 to 03:00)',
    );
    expect(resolve('2026-03-29T02:30:15', ctx)).toBe(
      'nonexistent_time: 2026-03-29 02:30:15 does not exist in Europe/Berlin (clocks skipped from 02:00 to 03:00)',
    );
    expect(resolve('2026-03-08 02:30 America/Denver', ctx)).toBe(
      'nonexistent_time: 2026-03-08 02:30 does not exist in America/Denver (clocks skipped from 02:00 to 03:00)',
    );
  });

  test('a half-hour shift and a skipped day are described as they happened', () => {
    const ctx = { zone: UTC_ZONE, anchor: at('2011-12-01T00:00:00Z'), now: at('2027-01-01T00:00:00Z') };
    expect(resolve('2026-10-04 02:15 Australia/Lord_Howe', ctx)).toBe(
      'nonexistent_time: 2026-10-04 02:15 does not exist in Australia/Lord_Howe (clocks skipped from 02:00 to 02:30)',
    );
    expect(resolve('2011-12-30 12:00 Pacific/Apia', ctx)).toBe(
      'nonexistent_time: 2011-12-30 12:00 does not exist in Pacific/Apia (clocks skipped from 2011-12-30 00:00 to 2011-12-31 00:00)',
    );
  });

  test('a fixed offset has no gap on a DST day', () => {
    const ctx = { zone: berlin, anchor: at('2026-03-29T00:50:00Z'), now: at('2026-03-30T00:00:00Z') };
    expect(resolve('02:30 CET', ctx)).toBe('2026-03-29T01:30:00.000Z');
  });

  describe('the fall-back overlap in America/Denver (01:00-02:00 on 2026-11-01 happens twice)', () => {
    const now = at('2026-11-02T00:00:00Z');
    const firstPass = at('2026-11-01T07:20:00Z'); // 01:20 MDT (-06:00)
    const secondPass = at('2026-11-01T08:10:00Z'); // 01:10 MST (-07:00)

    test('01:30 typed during the first pass is the first 01:30', () => {
      const result = resolve('01:30', { zone: denver, anchor: firstPass, now });
      expect(result).toBe('2026-11-01T07:30:00.000Z');
      expect(formatLocalDateTimeWithOffset(at(result), denver)).toBe('2026-11-01 01:30 -06:00');
    });

    test('01:30 typed during the second pass is the second 01:30', () => {
      const result = resolve('01:30', { zone: denver, anchor: secondPass, now });
      expect(result).toBe('2026-11-01T08:30:00.000Z');
      expect(formatLocalDateTimeWithOffset(at(result), denver)).toBe('2026-11-01 01:30 -07:00');
    });

    test('a full date in the overlap also takes the occurrence nearest the anchor', () => {
      expect(resolve('2026-11-01 01:30', { zone: denver, anchor: firstPass, now })).toBe('2026-11-01T07:30:00.000Z');
      expect(resolve('2026-11-01 01:30', { zone: denver, anchor: secondPass, now })).toBe('2026-11-01T08:30:00.000Z');
    });

    test('a full date in the overlap with an anchor far away takes the occurrence on the anchor’s side', () => {
      expect(resolve('2026-11-01 01:30', { zone: denver, anchor: at('2026-10-20T00:00:00Z'), now })).toBe(
        '2026-11-01T07:30:00.000Z',
      );
      expect(resolve('2026-11-01 01:30', { zone: denver, anchor: at('2026-11-01T20:00:00Z'), now })).toBe(
        '2026-11-01T08:30:00.000Z',
      );
    });

    test('an anchor exactly between the two occurrences takes the earlier', () => {
      expect(resolve('2026-11-01 01:30', { zone: denver, anchor: at('2026-11-01T08:00:00Z'), now })).toBe(
        '2026-11-01T07:30:00.000Z',
      );
    });

    test('an overlapped time whose second occurrence is in the future takes the first, if it is nearer', () => {
      const duringFirstPass = { zone: denver, anchor: at('2026-11-01T07:25:00Z'), now: at('2026-11-01T07:40:00Z') };
      expect(resolve('01:30', duringFirstPass)).toBe('2026-11-01T07:30:00.000Z');
    });
  });
});
