import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { channelLengthFrom, incidentChannelName, isValidChannelName, parseChannelList } from '../../../src/chat/irc/channel-name.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('incidentChannelName', () => {
  test('the title becomes a lower-case slug after the incident number', () => {
    expect(incidentChannelName(3, 'Checkout API down')).toBe('#inc-3-checkout-api-down');
  });

  test('punctuation and runs of spaces collapse into single dashes, none at either end', () => {
    expect(incidentChannelName(12, '  --Payments: 5xx (EU-west)!!  ')).toBe('#inc-12-payments-5xx-eu-west');
  });

  test('accents are dropped and ß, æ, ø, ł transliterated', () => {
    expect(incidentChannelName(4, 'Größere Störung in Zürich')).toBe('#inc-4-grossere-storung-in-zurich');
    expect(incidentChannelName(5, 'Ærø Łódź café')).toBe('#inc-5-aero-lodz-cafe');
  });

  test('a title with nothing usable gives just the number', () => {
    expect(incidentChannelName(7, '数据库宕机 🔥')).toBe('#inc-7');
    expect(incidentChannelName(8, '')).toBe('#inc-8');
  });

  test('a long title is cut at a word to fit 50 bytes, and never ends in a dash', () => {
    const name = incidentChannelName(1234, 'Primary database replication lag is causing stale reads everywhere');
    expect(name).toBe('#inc-1234-primary-database-replication-lag-is');
    expect(bytes(name)).toBeLessThanOrEqual(50);
  });

  test('a single long word is cut inside the word rather than lost', () => {
    const name = incidentChannelName(1, 'x'.repeat(80));
    expect(name).toBe(`#inc-1-${'x'.repeat(43)}`);
    expect(bytes(name)).toBe(50);
  });

  test('a smaller CHANNELLEN is honoured', () => {
    expect(incidentChannelName(3, 'Checkout API down', 16)).toBe('#inc-3-checkout');
    expect(incidentChannelName(3, 'Checkout API down', 8)).toBe('#inc-3-c');
    expect(incidentChannelName(3, 'Checkout API down', 7)).toBe('#inc-3');
  });

  test('a number that cannot fit, or is not an incident number, is a fault', () => {
    expect(() => incidentChannelName(123456, 'x', 8)).toThrow(RangeError);
    expect(() => incidentChannelName(0, 'x')).toThrow(RangeError);
    expect(() => incidentChannelName(1.5, 'x')).toThrow(RangeError);
  });

  test('property: any title gives a valid name within the limit, never ending in a dash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.string({ unit: 'grapheme', maxLength: 120 }), fc.integer({ min: 16, max: 64 }), (n, title, max) => {
        const name = incidentChannelName(n, title, max);
        return isValidChannelName(name, max) && /^#inc-\d+(-[a-z0-9]+(-[a-z0-9]+)*)?$/.test(name) && name.startsWith(`#inc-${n}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isValidChannelName', () => {
  test('a # or & name without space, comma, BELL, colon or control character is valid', () => {
    expect(isValidChannelName('#ops')).toBe(true);
    expect(isValidChannelName('&local')).toBe(true);
    expect(isValidChannelName('#Straße')).toBe(true);
  });

  test('names ngircd refuses, or that would smuggle a parameter or a line, are not', () => {
    for (const bad of ['ops', '#', '#a b', '#a,b', '#a\x07b', '#with:colon', '#a\r\nQUIT', '#a\0', '']) {
      expect(isValidChannelName(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  test('the limit is in bytes: 50 ASCII bytes fit, 51 do not, nor 26 two-byte letters', () => {
    expect(isValidChannelName(`#${'a'.repeat(49)}`)).toBe(true);
    expect(isValidChannelName(`#${'a'.repeat(50)}`)).toBe(false);
    expect(isValidChannelName(`#${'ä'.repeat(25)}`)).toBe(false);
    expect(isValidChannelName(`#${'a'.repeat(60)}`, 64)).toBe(true);
  });
});

describe('channelLengthFrom', () => {
  test('CHANNELLEN from ISUPPORT, else 50', () => {
    expect(channelLengthFrom('64')).toBe(64);
    expect(channelLengthFrom(undefined)).toBe(50);
    expect(channelLengthFrom(true)).toBe(50);
    expect(channelLengthFrom('0')).toBe(50);
    expect(channelLengthFrom('lots')).toBe(50);
  });
});

describe('parseChannelList', () => {
  test('names separated by commas or spaces, in order', () => {
    expect(parseChannelList('#ops,#sre')).toEqual({ ok: true, value: ['#ops', '#sre'] });
    expect(parseChannelList(' #ops, #sre  &local ')).toEqual({ ok: true, value: ['#ops', '#sre', '&local'] });
  });

  test('an empty list is empty, and a name given twice is kept once', () => {
    expect(parseChannelList('')).toEqual({ ok: true, value: [] });
    expect(parseChannelList('#ops,#OPS,,#ops')).toEqual({ ok: true, value: ['#ops'] });
  });

  test('a name without # is refused with the fix', () => {
    expect(parseChannelList('#ops,sre')).toEqual({ ok: false, error: { code: 'bad_argument', message: '"sre" is not a channel name: it must start with #, as in "#sre"' } });
  });

  test('a colon or a control character is refused, and shown escaped', () => {
    expect(parseChannelList('#with:colon')).toEqual({ ok: false, error: { code: 'bad_argument', message: '"#with:colon" is not a valid channel name: no colons or control characters' } });
    const bell = parseChannelList('#a\x07b');
    expect(bell.ok ? '' : bell.error.message).toBe('"#a\\u0007b" is not a valid channel name: no colons or control characters');
  });

  test('a name longer than CHANNELLEN is refused', () => {
    const long = `#${'a'.repeat(50)}`;
    expect(parseChannelList(long)).toEqual({ ok: false, error: { code: 'bad_argument', message: `"${long}" is too long for a channel name (at most 50 bytes)` } });
    expect(parseChannelList(long, 64)).toEqual({ ok: true, value: [long] });
  });
});
