import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.ts';
import type { Result } from '../../src/core/errors.ts';

function errorOf<T>(result: Result<T>): string {
  return result.ok ? `no error: ${String(result.value)}` : `${result.error.code}: ${result.error.message}`;
}

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s', 93_784_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  test('units are case-insensitive and surrounding spaces are ignored', () => {
    expect(parseDuration(' 1H30M ')).toEqual({ ok: true, value: 5_400_000 });
  });

  test('a number without a unit is refused with an example', () => {
    expect(errorOf(parseDuration('15'))).toBe('bad_argument: bad duration "15": use a number and s, m, h or d, e.g. 15m or 1h30m');
  });

  test.each(['', '15min', '1.5h', '-5m', 'm', '1w', 'soon'])('%j is refused', (text) => {
    expect(errorOf(parseDuration(text))).toBe(`bad_argument: bad duration "${text}": use a number and s, m, h or d, e.g. 15m or 1h30m`);
  });

  test('a zero duration is refused', () => {
    expect(errorOf(parseDuration('0m'))).toBe('bad_argument: bad duration "0m": must be longer than zero');
    expect(errorOf(parseDuration('0h0m'))).toBe('bad_argument: bad duration "0h0m": must be longer than zero');
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [45_000, '45s'],
    [60_000, '1m'],
    [65_000, '1m 05s'],
    [3_600_000, '1h 00m'],
    [3_900_000, '1h 05m'],
    [6_300_000, '1h 45m'],
    [86_400_000 + 2 * 3_600_000 + 5 * 60_000, '1d 2h 05m'],
    [3 * 86_400_000 + 2 * 3_600_000, '3d 2h 00m'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('seconds are rounded, and dropped once it runs to hours', () => {
    expect(formatDuration(499)).toBe('0s');
    expect(formatDuration(500)).toBe('1s');
    expect(formatDuration(59_500)).toBe('1m');
    expect(formatDuration(3_600_000 + 59_000)).toBe('1h 00m');
  });

  test('a negative duration gets a minus sign', () => {
    expect(formatDuration(-65_000)).toBe('−1m 05s');
  });

  test('what parseDuration reads, formatDuration writes back', () => {
    const parsed = parseDuration('1h30m');
    expect(parsed.ok && formatDuration(parsed.value)).toBe('1h 30m');
  });
});
