import { describe, expect, test } from 'vitest';
import { parsePersonRef, personKey, resolvePerson } from '../../src/core/people.ts';

describe('a person typed as an argument', () => {
  test.each([
    ['dana', { platform: null, id: null, name: 'dana' }],
    ['@dana', { platform: null, id: null, name: 'dana' }],
    ['<@U123ABC>', { platform: 'slack', id: 'U123ABC', name: 'U123ABC' }],
    ['<@U123ABC|dana>', { platform: 'slack', id: 'U123ABC', name: 'dana' }],
    ['<@W0PQ7X|dana.smith>', { platform: 'slack', id: 'W0PQ7X', name: 'dana.smith' }],
    ['Dana[away]', { platform: null, id: null, name: 'Dana[away]' }],
  ])('%s is read as %o', (typed, ref) => {
    expect(parsePersonRef(typed)).toEqual(ref);
  });

  test.each(['dana smith', '@', '<@U123ABC', '<@u123abc>', '<!channel>', 'a|b', '<@U123ABC|>', 'x'.repeat(81)])('%j is not one person', (typed) => {
    expect(parsePersonRef(typed)).toBeNull();
  });

  test('a plain name is a person on the platform it was typed on; IRC nicks ignore case', () => {
    const dana = { platform: null, id: null, name: 'Dana' };
    expect(resolvePerson(dana, 'irc')).toEqual({ platform: 'irc', id: 'dana', name: 'Dana' });
    expect(resolvePerson(dana, 'shell')).toEqual({ platform: 'shell', id: 'Dana', name: 'Dana' });
    expect(resolvePerson({ platform: 'slack', id: 'U1', name: 'dana' }, 'irc')).toEqual({ platform: 'slack', id: 'U1', name: 'dana' });
  });

  test('a person is kept by platform and id', () => {
    expect(personKey({ platform: 'slack', id: 'U123ABC' })).toBe('slack:U123ABC');
  });
});
