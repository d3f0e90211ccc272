import { describe, expect, test } from 'vitest';
import { cleanText, splitVerb, tokenize } from '../../src/chat/command-line.ts';

const values = (text: string) => tokenize(text).map((t) => t.value);

describe('tokenize', () => {
  test('words are split on any run of whitespace', () => {
    expect(values('  rolled\tback \n release   4812 ')).toEqual(['rolled', 'back', 'release', '4812']);
  });

  test('nothing but whitespace gives no words', () => {
    expect(tokenize(' \t\n ')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });

  test('a double-quoted phrase is one word, without its quotes, and remembers where it stood', () => {
    expect(tokenize('start "Checkout API down" now')).toEqual([
      { value: 'start', start: 0, end: 5, quoted: false },
      { value: 'Checkout API down', start: 6, end: 25, quoted: true },
      { value: 'now', start: 26, end: 29, quoted: false },
    ]);
  });

  test('curly quotes from Slack and phones work like straight ones', () => {
    expect(values('“Checkout API down” --sev 2')).toEqual(['Checkout API down', '--sev', '2']);
    expect(values('„Kasse ist down” jetzt')).toEqual(['Kasse ist down', 'jetzt']);
    expect(tokenize('“a b”')[0]!.quoted).toBe(true);
  });

  test('an empty pair of quotes is an empty word', () => {
    expect(tokenize('--owner ""')).toEqual([
      { value: '--owner', start: 0, end: 7, quoted: false },
      { value: '', start: 8, end: 10, quoted: true },
    ]);
  });

  test('a quote that is never closed is an ordinary character', () => {
    expect(values('"Checkout API down')).toEqual(['"Checkout', 'API', 'down']);
    expect(tokenize('"Checkout')[0]!.quoted).toBe(false);
  });

  test('a closing quote glued to more text does not end a phrase', () => {
    expect(values('"a b"c d')).toEqual(['"a', 'b"c', 'd']);
  });

  test('a curly opening quote is not closed by a straight one', () => {
    expect(values('“a b" c')).toEqual(['“a', 'b"', 'c']);
  });

  test('single quotes are apostrophes, not quoting', () => {
    expect(values("it's the 'primary db' again")).toEqual(["it's", 'the', "'primary", "db'", 'again']);
  });

  test('an option whose value is quoted after = is one token, without the quotes', () => {
    expect(values('--title="a b" c')).toEqual(['--title=a b', 'c']);
  });

  test('quotes inside a word are kept as typed', () => {
    expect(values('say"hi there"')).toEqual(['say"hi', 'there"']);
  });
});

describe('cleanText', () => {
  test('CR LF and lone CR become LF', () => {
    expect(cleanText('one\r\ntwo\rthree\nfour')).toBe('one\ntwo\nthree\nfour');
  });

  test('NUL, bell, escape and DEL are dropped; tabs and newlines stay', () => {
    expect(cleanText('a\u0000b\u0007c\u001b[31md\u007fe\tf\ng')).toBe('abc[31mde\tf\ng');
  });

  test('C1 controls are dropped too: U+009B starts an escape sequence on some terminals', () => {
    expect(cleanText('a\u009b2Jb\u0085c\u00a0d')).toBe('a2Jbc\u00a0d');
  });

  test('ordinary text, emoji and non-Latin scripts pass unchanged', () => {
    const text = 'Müller: DB läuft wieder 🎉 — 数据库恢复 "ok"';
    expect(cleanText(text)).toBe(text);
  });
});

describe('splitVerb', () => {
  test('the first word is the verb, lowercased, and the rest is the text as typed', () => {
    expect(splitVerb('LOG  rolled   back "4812"')).toEqual({ verb: 'log', text: 'rolled   back "4812"' });
  });

  test('whitespace around the command is dropped', () => {
    expect(splitVerb('   status monitoring error rate falling  \n')).toEqual({
      verb: 'status',
      text: 'monitoring error rate falling',
    });
  });

  test('a verb alone has empty text', () => {
    expect(splitVerb('close')).toEqual({ verb: 'close', text: '' });
  });

  test('text on the following lines belongs to the command', () => {
    expect(splitVerb('log\nfirst line\nsecond line')).toEqual({ verb: 'log', text: 'first line\nsecond line' });
  });

  test('an empty or blank line has no verb', () => {
    expect(splitVerb('')).toBeNull();
    expect(splitVerb('  \t ')).toBeNull();
  });
});
