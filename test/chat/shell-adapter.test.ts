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

  test.each(['/incident', '!inc', '  /INCIDENT  '])('%j with nothing after it answers with the usage', async (typed) => {
    const usage = await shell.type(typed);
    expect(usage).toBe(await shell.type('help'));
    expect(usage.split('\n')[0]).toMatch(/^Commands /);
    expect(usage).toContain('start <title> [--sev 1-4]');
  });
});
