import { afterEach, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { ShellSession } from '../support/shell-session.ts';

describe('the shell beside a chat platform', () => {
  let bot: TestBot | null = null;
  afterEach(async () => {
    await bot?.stop();
    bot = null;
  });

  test('with a chat platform configured, the terminal is not read unless FIREBELL_SHELL=1', async () => {
    const terminal = new ShellSession();
    bot = await startTestBot(backends[0]!, { shell: terminal, adapters: () => [new RecordingAdapter('test')] });
    expect(bot.firebell.shell).toBeNull();
    expect(bot.firebell.chatPlatforms).toEqual(['test']);
  });

  test('with FIREBELL_SHELL=1 the terminal drives the same incidents the chat does', async () => {
    const terminal = new ShellSession();
    const chat = new RecordingAdapter('test');
    bot = await startTestBot(backends[0]!, { shell: terminal, env: { FIREBELL_SHELL: '1' }, adapters: () => [chat] });
    expect(await bot.say('start Checkout down', { platform: 'test' })).toMatch(/^INC-1 opened/);
    expect(await terminal.type('log INC-1 Seen from the terminal')).toMatch(/^Logged #2 on INC-1/);
    await bot.firebell.outbox.drain();
    expect(terminal.transcript).toContain('📣 INC-1 opened by dana: Checkout down (SEV3)');
    expect((await bot.record(1)).entries.map((e) => [e.author, e.sourcePlatform])).toEqual([
      ['dana', 'test'],
      ['dana', 'shell'],
    ]);
  });

  test('FIREBELL_SHELL takes 1/0, true/false, yes/no, on/off, and refuses anything else', async () => {
    const { loadConfig } = await import('../../src/config.ts');
    expect(loadConfig({ FIREBELL_SHELL: 'Yes' })).toMatchObject({ ok: true, config: { FIREBELL_SHELL: true } });
    expect(loadConfig({ FIREBELL_SHELL: 'off' })).toMatchObject({ ok: true, config: { FIREBELL_SHELL: false } });
    expect(loadConfig({ FIREBELL_SHELL: 'maybe' })).toEqual({
      ok: false,
      problems: ['FIREBELL_SHELL: expected 1 or 0 (true/false, yes/no, on/off), got "maybe"'],
    });
  });
});
