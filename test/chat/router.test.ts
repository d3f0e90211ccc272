import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { ShellSession } from '../support/shell-session.ts';

describe.each(backends)('the command router on $name', (backend) => {
  let bot: TestBot;
  const terminal = new ShellSession();
  beforeAll(async () => {
    bot = await startTestBot(backend, { shell: { input: terminal.input, output: terminal.output } });
  });
  afterAll(() => bot.stop());
  beforeEach(async () => {
    await bot.reset();
    bot.clock.set('2026-03-01T23:10:00Z');
    await bot.say('start Checkout API returning 502s --at 23:00');
  });

  describe('an unknown verb', () => {
    test('is echoed without its escape sequences, so it cannot repaint the terminal', async () => {
      expect(await terminal.type('/incident \x1b[2J\x1b[H')).toBe('✗ unknown command "[2j[h": try `help`');
      expect(await bot.say('lo\u009b2Jg')).toBe('✗ unknown command "lo2jg": try `help`');
    });

    test('of 4,000 characters is echoed cut short', async () => {
      const reply = await bot.say(`${'x'.repeat(4_000)} Paged the database team`);
      expect(reply).toBe(`✗ unknown command "${'x'.repeat(32)}…": try \`help\``);
    });

    test('asked about in help is echoed cut short too', async () => {
      expect(await bot.say(`help ${'🔥'.repeat(4_000)}`)).toBe(`✗ unknown command "${'🔥'.repeat(32)}…": try \`help\``);
    });
  });

  test('a long bad word is echoed cut short, whatever the verb', async () => {
    const long = (c: string) => c.repeat(4_000);
    expect(await bot.say(`sev ${long('9')}`)).toBe(`✗ bad severity "${'9'.repeat(32)}…": use 1-4 (1 is the most severe)`);
    expect(await bot.say(`status ${long('x')} Fixed`)).toBe(`✗ bad status "${'x'.repeat(32)}…": use investigating, identified, monitoring or resolved`);
    expect(await bot.say(`edit ${long('7')} Fixed`)).toBe(`✗ bad entry "${'7'.repeat(32)}…": use the number shown beside it, e.g. #42`);
    expect(await bot.say(`role commander ${long('@')}`)).toBe(`✗ bad user "${'@'.repeat(32)}…": one name, e.g. dana or @dana`);
  });

  describe('length limits count characters, not UTF-16 units', () => {
    test('2,300 emoji are 2,300 characters: well within the limit, and recorded whole', async () => {
      expect(await bot.say(`log ${'🔥'.repeat(2_300)}`)).toBe('Logged #2 on INC-1 at 2026-03-01 23:10 UTC');
      expect([...(await bot.record(1)).entries.at(-1)!.text]).toHaveLength(2_300);
    });

    test('text of 4,001 emoji is refused as 4,001 characters; 4,000 are accepted', async () => {
      expect(await bot.say(`log ${'🔥'.repeat(4_001)}`)).toBe('✗ text is too long (4,001 characters; the limit is 4,000)');
      expect(await bot.say(`log ${'x'.repeat(4_000)}🔥`)).toBe('✗ text is too long (4,001 characters; the limit is 4,000)');
      expect((await bot.record(1)).entries).toHaveLength(1);
      expect(await bot.say(`log ${'🔥'.repeat(4_000)}`)).toBe('Logged #2 on INC-1 at 2026-03-01 23:10 UTC');
    });

    test('a whole command over the limit is refused with the number of characters typed', async () => {
      expect(await bot.say(`log ${'🔥'.repeat(4_600)}`)).toBe('✗ that command is too long (4,600 characters; the limit is 4,500)');
      expect((await bot.record(1)).entries).toHaveLength(1);
    });

    test('a status message and an edit count characters the same way', async () => {
      // 2,100 emoji are 4,200 UTF-16 units: under the command limit, over the text limit if miscounted.
      expect(await bot.say(`status monitoring ${'🚒'.repeat(2_100)}`)).toBe(`INC-1 status is now monitoring: ${'🚒'.repeat(2_100)}`);
      expect(await bot.say(`edit #1 ${'🧯'.repeat(2_100)}`)).toBe(`Entry #1 of INC-1 now reads: ${'🧯'.repeat(2_100)}`);
      expect(await bot.say(`status monitoring ${'🚒'.repeat(4_001)}`)).toBe('✗ public message is too long (4,001 characters; the limit is 4,000)');
    });
  });
});
