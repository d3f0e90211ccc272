import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cleanWireText, messageBudget, splitForWire } from '../../../src/chat/irc/wire.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const FORBIDDEN = /[\r\n\0\x01]/;

/** Text as chat produces it, and as an attacker would: line breaks, NUL, CTCP, emoji, accents, lone surrogates. */
const chatText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('\r\n', '\r', '\n', '\0', '\x01', ' ', '  ', '\t', '🔥', '👩‍👩‍👧‍👦', 'e\u0301', 'ü', '€', '日本語', '\uD800', '\uDC00x'),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

/** What the lines must add up to: each cleaned line that is not blank, without the line breaks. */
const expectedContent = (text: string) =>
  text
    .split(/\r\n|\r|\n/)
    .map(cleanWireText)
    .filter((line) => !/^\s*$/.test(line))
    .join('');

describe('cleanWireText', () => {
  test('CR, LF and CRLF become one space each, so a value cannot start a second command', () => {
    expect(cleanWireText('hello\r\nTOPIC #inc-1 :pwned')).toBe('hello TOPIC #inc-1 :pwned');
    expect(cleanWireText('a\rb\nc\n\nd')).toBe('a b c  d');
  });

  test('NUL and the CTCP marker are dropped', () => {
    expect(cleanWireText('\x01DCC SEND x\x01 ok\0')).toBe('DCC SEND x ok');
  });

  test('a lone surrogate becomes the replacement character; a pair is kept', () => {
    expect(cleanWireText('a\uD800b 🔥')).toBe('a\uFFFDb 🔥');
  });

  test('no cleaned text holds CR, LF, NUL or \\x01', () => {
    fc.assert(fc.property(chatText, (text) => !FORBIDDEN.test(cleanWireText(text))));
  });
});

describe('splitForWire', () => {
  test('a short line stays whole', () => {
    expect(splitForWire('Rolled back release 4812', 100)).toEqual(['Rolled back release 4812']);
  });

  test('each line break starts a new wire line, and blank lines are dropped', () => {
    expect(splitForWire('INC-3 SEV2\r\n\n   \nCheckout down\rcommander: dana', 100)).toEqual(['INC-3 SEV2', 'Checkout down', 'commander: dana']);
  });

  test('a long line is cut at the end of a word, and the space starts the next line', () => {
    expect(splitForWire('alpha beta gamma delta', 12)).toEqual(['alpha beta', ' gamma delta']);
  });

  test('a word longer than the budget is cut between characters', () => {
    expect(splitForWire('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  test('a multi-byte character is never cut: € is 3 bytes, so 4 bytes hold one', () => {
    expect(splitForWire('€€€', 4)).toEqual(['€', '€', '€']);
    expect(splitForWire('a€b€', 5)).toEqual(['a€b', '€']);
  });

  test('an emoji family (one grapheme, 25 bytes) stays on one line when it fits', () => {
    const family = '👩‍👩‍👧‍👦';
    expect(splitForWire(`ab ${family}`, 26)).toEqual(['ab', ` ${family}`]);
  });

  test('a grapheme longer than the budget is cut between code points, not inside one', () => {
    const zalgo = `a${'\u0301'.repeat(10)}`;
    const lines = splitForWire(zalgo, 5);
    expect(lines.join('')).toBe(zalgo);
    for (const line of lines) expect(bytes(line)).toBeLessThanOrEqual(5);
  });

  test('a budget below one UTF-8 character is a fault', () => {
    expect(() => splitForWire('x', 3)).toThrow(RangeError);
  });

  test('property: every line fits the budget and holds no CR, LF, NUL or \\x01', () => {
    fc.assert(
      fc.property(chatText, fc.integer({ min: 4, max: 120 }), (text, budget) => {
        for (const line of splitForWire(text, budget)) {
          if (bytes(line) > budget || FORBIDDEN.test(line) || line === '') return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  test('property: the lines concatenated give back the cleaned text', () => {
    fc.assert(
      fc.property(chatText, fc.integer({ min: 4, max: 120 }), (text, budget) => {
        expect(splitForWire(text, budget).join('')).toBe(expectedContent(text));
      }),
      { numRuns: 500 },
    );
  });

  test('property: a cut never falls inside a grapheme when the grapheme fits the budget', () => {
    const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
    const graphemeEnds = (text: string) => {
      const ends = new Set<number>();
      for (const { index, segment } of segmenter.segment(text)) ends.add(index + segment.length);
      return ends;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }), fc.integer({ min: 30, max: 60 }), (text, budget) => {
        const clean = cleanWireText(text);
        fc.pre(!/\s/.test(clean));
        const ends = graphemeEnds(clean);
        let at = 0;
        for (const line of splitForWire(clean, budget).slice(0, -1)) {
          at += line.length;
          if (!ends.has(at)) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('messageBudget', () => {
  test('counts the prefix the server relays: :nick!user@host PRIVMSG target :', () => {
    const relayed = ':dana!~dana@127.0.0.1 PRIVMSG #ops :';
    expect(messageBudget({ nick: 'dana', user: '~dana', host: '127.0.0.1', command: 'PRIVMSG', target: '#ops' })).toBe(510 - relayed.length);
    expect(relayed.length).toBe(36);
  });

  test('an unknown user and host take the worst case (20 and 63 bytes)', () => {
    const known = messageBudget({ nick: 'firebell', user: '', host: '', command: 'NOTICE', target: 'dana' });
    expect(messageBudget({ nick: 'firebell', command: 'NOTICE', target: 'dana' })).toBe(known - 20 - 63);
  });

  test('bytes, not characters: a multi-byte channel name costs its UTF-8 length', () => {
    const ascii = messageBudget({ nick: 'f', user: 'u', host: 'h', command: 'PRIVMSG', target: '#aa' });
    expect(messageBudget({ nick: 'f', user: 'u', host: 'h', command: 'PRIVMSG', target: '#äa' })).toBe(ascii - 1);
  });
});
