import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { runFirebell } from '../support/cli.ts';
import { backends } from '../support/databases.ts';
import { FakeWebhookReceiver } from '../support/fake-status/webhook-receiver.ts';

const SECRET = 'cli-webhook-secret';

describe('firebell deliveries', () => {
  let bot: TestBot;
  let hook: FakeWebhookReceiver;

  beforeAll(async () => {
    hook = await new FakeWebhookReceiver(SECRET).start();
    hook.down(503);
    bot = await startTestBot(backends[0]!, {
      now: '2026-03-01T10:00:00Z',
      env: { STATUS_WEBHOOK_URL: hook.hookUrl, STATUS_WEBHOOK_SECRET: SECRET },
      statusDelivery: { random: () => 0 },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await hook.stop();
  });

  const expected = /^#1 webhook · INC-1 investigating · pending, 1 attempts so far, next at 2026-03-01 10:00 UTC · last error: POST http:\/\/127\.0\.0\.1:\d+\/hooks\/status answered 503: down for maintenance\n$/;

  test('lists what is pending, asking the running bot, and reads the database itself once the bot has stopped', async () => {
    const empty = await runFirebell(['deliveries'], { DATA_DIR: bot.settings.DATA_DIR });
    expect(empty).toMatchObject({ code: 0, stdout: 'Every status update has been delivered.\n' });

    await bot.say('start Checkout down');
    await bot.say('status investigating Looking into it');
    await bot.firebell.executor.idle();
    await bot.firebell.statusDeliveries.drain();
    const asked = await runFirebell(['deliveries'], { DATA_DIR: bot.settings.DATA_DIR });
    expect(asked.stderr).toBe('');
    expect(asked.stdout).toMatch(expected);

    await bot.firebell.stop();
    const read = await runFirebell(['deliveries'], { DATA_DIR: bot.settings.DATA_DIR });
    expect(read.code).toBe(0);
    expect(read.stdout).toMatch(expected);
  });
});
