import { describe, expect, test } from 'vitest';
import { tokenize } from '../../../src/chat/command-line.ts';
import { mentionedUserIds, nameMentions, readableMessageText, slashCommandText, tsToDate } from '../../../src/chat/slack/message-text.ts';

const names: Record<string, string> = { U0ALICE01: 'Alice A', U0BOB0001: 'bob' };
const nameOf = (id: string) => names[id];

describe('Slack message text', () => {
  test('entities, mentions, channels and links read as people see them', () => {
    expect(readableMessageText('Rolled back &amp; told <@U0ALICE01> in <#C0123456789|ops>: see <https://x.test/a|the graph> &lt;3', nameOf)).toBe(
      'Rolled back & told @Alice A in #ops: see the graph (https://x.test/a) <3',
    );
    expect(readableMessageText('<!here> <https://x.test/>', nameOf)).toBe('@here https://x.test/');
  });

  test('a command mention gains the display name, and stays one word for the parser', () => {
    const text = nameMentions('commander <@U0ALICE01>', nameOf);
    expect(text).toBe('commander <@U0ALICE01|Alice A>');
    expect(tokenize(text).map((t) => t.value)).toEqual(['commander', '<@U0ALICE01|Alice A>']);
    expect(nameMentions('<@U0NOBODY1|legacy>', nameOf)).toBe('<@U0NOBODY1|legacy>');
    expect(mentionedUserIds('<@U0ALICE01> and <@U0BOB0001|b> and <@U0ALICE01>')).toEqual(['U0ALICE01', 'U0BOB0001']);
  });

  test('a slash command reads as typed; a person given as an argument stays a mention', () => {
    expect(slashCommandText('start', '&lt;!channel&gt; lol &amp; <!channel> <@U0ALICE01>', nameOf)).toBe('<!channel> lol & @channel @Alice A');
    expect(slashCommandText('role', 'commander <@U0ALICE01>', nameOf)).toBe('commander <@U0ALICE01|Alice A>');
    expect(slashCommandText('followup', 'call <@U0BOB0001|bob> --owner <@U0ALICE01>', nameOf)).toBe('call @bob --owner <@U0ALICE01|Alice A>');
    expect(slashCommandText('followup', 'call vendor --owner=<@U0BOB0001>', nameOf)).toBe('call vendor --owner=<@U0BOB0001|bob>');
    expect(slashCommandText('log', 'see <https://x.test/a|graph> in <#C0123456789|ops>', nameOf)).toBe('see graph (https://x.test/a) in #ops');
  });

  test("a message's ts is the instant it was written, to the millisecond", () => {
    expect(tsToDate('1772460300.123456')?.toISOString()).toBe('2026-03-02T14:05:00.123Z');
    expect(tsToDate('not-a-ts')).toBeNull();
  });
});
