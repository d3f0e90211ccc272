import { describe, expect, test } from 'vitest';
import { escapeMrkdwn } from '../../../src/chat/slack/mrkdwn.ts';

describe('escapeMrkdwn', () => {
  test('<!channel> typed by a user comes out as text that notifies nobody', () => {
    expect(escapeMrkdwn('<!channel> lol')).toBe('&lt;!channel&gt; lol');
  });

  test('mentions, @here and links typed by a user stay text', () => {
    expect(escapeMrkdwn('<@U024BE7LH> <!here> <https://evil.example|click>')).toBe(
      '&lt;@U024BE7LH&gt; &lt;!here&gt; &lt;https://evil.example|click&gt;',
    );
  });

  test('an ampersand is escaped first, so a typed entity shows as typed', () => {
    expect(escapeMrkdwn('R&D &lt; ops')).toBe('R&amp;D &amp;lt; ops');
  });

  test('only & < > change: quotes, formatting characters and non-ASCII text are left alone', () => {
    const text = `"quoted" 'single' *bold* _it_ ~strike~ \`code\` | ünïcødé 🔥`;
    expect(escapeMrkdwn(text)).toBe(text);
  });
});
