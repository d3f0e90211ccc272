import { describe, expect, test } from 'vitest';
import { countCharacters, echoWord } from '../../src/chat/arguments.ts';

describe('countCharacters', () => {
  test('an emoji is one character, as a person counts', () => {
    expect(countCharacters('🔥'.repeat(2_300))).toBe(2_300);
    expect(countCharacters('Müller 数据库 🎉')).toBe(12);
  });

  test('agrees with counting code points, lone surrogates included', () => {
    for (const text of ['', 'ascii', '\ud83d', '\ude00x', 'a\ud83d\ude00\ud83d', '👩‍🚒']) {
      expect(countCharacters(text)).toBe([...text].length);
    }
  });
});

describe('echoWord', () => {
  test('a short word is quoted as typed', () => {
    expect(echoWord('lgo')).toBe('lgo');
  });

  test('a long word is cut after 32 characters, never inside an emoji', () => {
    expect(echoWord('🔥'.repeat(33))).toBe(`${'🔥'.repeat(32)}…`);
    expect(echoWord('x'.repeat(32))).toBe('x'.repeat(32));
  });

  test('line breaks become spaces, so the error stays one line', () => {
    expect(echoWord('a\nb\tc')).toBe('a b c');
  });
});
