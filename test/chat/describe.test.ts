import { describe, expect, test } from 'vitest';
import { formatInstant } from '../../src/chat/describe.ts';
import { parseWhen, type When } from '../../src/core/when.ts';
import { parseZone, type Zone } from '../../src/core/zone.ts';

function zone(name: string): Zone {
  const parsed = parseZone(name);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function typed(text: string): When {
  const parsed = parseWhen(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const at = new Date('2026-03-01T20:05:00Z');

describe('formatInstant', () => {
  test.each([
    ['UTC', '2026-03-01 20:05 UTC'],
    ['UTC+05:30', '2026-03-02 01:35 UTC+05:30'],
    ['Europe/Berlin', '2026-03-01 21:05 Europe/Berlin (+01:00)'],
    ['CST', '2026-03-01 14:05 CST (UTC-06:00)'],
    ['BST', '2026-03-01 21:05 BST (UTC+01:00)'],
  ])('in the incident zone %s it states the offset unless the name does', (name, shown) => {
    expect(formatInstant(at, zone(name))).toBe(shown);
  });

  test.each([
    ['14:05 CST', 'UTC', '2026-03-01 20:05 UTC (14:05 CST, UTC-06:00)'],
    ['2026-03-01 13:05 MST', 'Europe/Berlin', '2026-03-01 21:05 Europe/Berlin (+01:00; 13:05 MST, UTC-07:00)'],
    ['21:05 Europe/Berlin', 'UTC', '2026-03-01 20:05 UTC (21:05 Europe/Berlin, UTC+01:00)'],
    ['01:35 UTC+05:30', 'UTC', '2026-03-01 20:05 UTC (2026-03-02 01:35 UTC+05:30)'],
    ['21:05 BST', 'MST', '2026-03-01 13:05 MST (UTC-07:00; 21:05 BST, UTC+01:00)'],
  ])('a time typed as %s in an incident in %s is shown as typed too, with the offset that zone meant', (text, name, shown) => {
    expect(formatInstant(at, zone(name), typed(text))).toBe(shown);
  });

  test('a time typed in the incident zone, without a zone, or with its own offset adds nothing', () => {
    expect(formatInstant(at, zone('CST'), typed('14:05 CST'))).toBe('2026-03-01 14:05 CST (UTC-06:00)');
    expect(formatInstant(at, zone('UTC'), typed('20:05'))).toBe('2026-03-01 20:05 UTC');
    expect(formatInstant(at, zone('UTC'), typed('2026-03-01T14:05-06:00'))).toBe('2026-03-01 20:05 UTC');
  });
});
