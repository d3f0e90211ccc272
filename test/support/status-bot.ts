import type { TestBackend } from './databases.ts';
import { startTestBot, type TestBot, type TestBotOptions } from './bot.ts';
import { FakeWebhookReceiver } from './fake-status/webhook-receiver.ts';
import { RecordingAdapter } from './recording-adapter.ts';

const START = '2026-03-01T10:00:00Z';

export interface StatusBot {
  bot: TestBot;
  /** Told every notice, as an ops channel is. */
  chat: RecordingAdapter;
  /** The configured webhook target. */
  hook: FakeWebhookReceiver;
  /** Empties the database, the receiver and the chat, and sets the clock back to the start. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** firebell at 10:00 on 1 March, delivering status updates to a fake webhook receiver, with a chat that records what it is told. */
export async function startStatusBot(
  backend: TestBackend,
  opts: Pick<TestBotOptions, 'statusDelivery' | 'statusTargets'> = {},
): Promise<StatusBot> {
  const hook = await new FakeWebhookReceiver().start();
  const chat = new RecordingAdapter('test');
  const bot = await startTestBot(backend, { now: START, env: hook.settings, adapters: () => [chat], ...opts });
  return {
    bot,
    chat,
    hook,
    async reset() {
      // Healthy again first: bot.reset() delivers what the last test left, then those are forgotten too.
      hook.reset();
      await bot.reset();
      hook.reset();
      chat.told.length = 0;
      bot.clock.set(START);
    },
    async stop() {
      await bot.stop();
      await hook.stop();
    },
  };
}
