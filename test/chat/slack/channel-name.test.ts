import { describe, expect, test } from 'vitest';
import { CHANNEL_NAME_MAX, incidentChannelName, withSuffix } from '../../../src/chat/slack/channel-name.ts';
import { checkChannelName } from '../../support/fake-slack/index.ts';

const longTitle = 'Primary database in eu-west-1 stopped accepting writes after the failover to the standby replica';

describe('incidentChannelName', () => {
  test('is inc-<n>-<title in lower case, words joined by hyphens>', () => {
    expect(incidentChannelName(42, 'Database outage!')).toBe('inc-42-database-outage');
    expect(incidentChannelName(7, '  API   5xx  /checkout  ')).toBe('inc-7-api-5xx-checkout');
  });

  test('keeps underscores, which Slack allows', () => {
    expect(incidentChannelName(3, 'db_primary down')).toBe('inc-3-db_primary-down');
  });

  test('drops accents rather than the letters that carry them', () => {
    expect(incidentChannelName(5, 'Café crème: Zürich PoP')).toBe('inc-5-cafe-creme-zurich-pop');
  });

  test('a title with nothing Slack allows in a name gives inc-<n>', () => {
    expect(incidentChannelName(9, '🔥🔥🔥')).toBe('inc-9');
    expect(incidentChannelName(10, 'データベース障害')).toBe('inc-10');
    expect(incidentChannelName(11, '--- !!! ___')).toBe('inc-11');
  });

  test('a long title is cut to 80 characters at a word, with no hyphen at the end', () => {
    const name = incidentChannelName(1234, longTitle);
    expect(name.length).toBeLessThanOrEqual(CHANNEL_NAME_MAX);
    expect(name).toBe('inc-1234-primary-database-in-eu-west-1-stopped-accepting-writes-after-the');
  });

  test('one endless word is cut at 80 characters exactly', () => {
    const name = incidentChannelName(1, 'x'.repeat(200));
    expect(name).toBe(`inc-1-${'x'.repeat(74)}`);
    expect(name).toHaveLength(80);
  });

  test('every name it makes passes conversations.create\'s name rules', () => {
    const titles = [longTitle, 'Database outage!', 'ÀÉÎÕÜ ß ﬁ ㎒ Ⅸ', '🔥', '_', 'a_-_b', 'UPPER lower 123', 'tab\there\nnewline', `${'ab-'.repeat(40)}`, '-_-'];
    for (const [i, title] of titles.entries()) {
      const name = incidentChannelName(i + 1, title);
      expect({ title, name, verdict: checkChannelName(name) }).toEqual({ title, name, verdict: { ok: true } });
    }
  });

  test('a number that is not a positive integer is a bug, not a name', () => {
    expect(() => incidentChannelName(0, 'x')).toThrow(/positive integer/);
    expect(() => incidentChannelName(1.5, 'x')).toThrow(/positive integer/);
  });
});

describe('withSuffix', () => {
  test('adds -<k> to a short name', () => {
    expect(withSuffix('inc-42-database-outage', 2)).toBe('inc-42-database-outage-2');
  });

  test('shortens an 80-character name so the suffix still fits', () => {
    const name = incidentChannelName(1, 'x'.repeat(200));
    expect(withSuffix(name, 2)).toBe(`inc-1-${'x'.repeat(72)}-2`);
    expect(withSuffix(name, 10)).toHaveLength(80);
    expect(withSuffix(name, 10).endsWith('-10')).toBe(true);
  });

  test('shortens at a word when the cut lands near one, leaving no doubled hyphen', () => {
    const name = incidentChannelName(1234, longTitle);
    const next = withSuffix(name, 3);
    expect(next.length).toBeLessThanOrEqual(CHANNEL_NAME_MAX);
    expect(next).not.toMatch(/--/);
    expect(checkChannelName(next)).toEqual({ ok: true });
    expect(next.endsWith('-3')).toBe(true);
  });
});
