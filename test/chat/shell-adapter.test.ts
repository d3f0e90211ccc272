import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { ShellSession } from '../support/shell-session.ts';

describe('the shell adapter', () => {
  const shell = new ShellSession();
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(backends[0]!, { shell: { ...shell, user: 'dana' } });
  });
  afterAll(() => bot.stop());

  test.each(['/incident', '!inc', '  /INCIDENT  '])('%j with nothing after it answers with the short usage', async (typed) => {
    expect(await shell.type(typed)).toBe(
      'Usage: <verb> [arguments], e.g. start Checkout is failing --sev 2 or log 14:05 Rolled back. help lists the verbs.',
    );
  });
});
