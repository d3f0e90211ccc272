import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { renderIrcReply } from '../../src/chat/irc/render.ts';
import { renderReply as renderSlackReply } from '../../src/chat/slack/render.ts';
import type { TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { FakeWebhookReceiver } from '../support/fake-status/webhook-receiver.ts';
import type { RecordingAdapter } from '../support/recording-adapter.ts';
import { startStatusBot, type StatusBot } from '../support/status-bot.ts';

/** `show` puts each status update's delivery results beside it on the timeline (issue 20). */
describe.each(backends)('show: status updates with their delivery results on $name', (backend) => {
  let status: StatusBot;
  let bot: TestBot;
  let chat: RecordingAdapter;
  let hook: FakeWebhookReceiver;
  let relay: FakeWebhookReceiver;

  beforeAll(async () => {
    relay = await new FakeWebhookReceiver().start();
    // A second target under another name: one fails while the other delivers.
    status = await startStatusBot(backend, { statusDelivery: { random: () => 0 }, statusTargets: (clock) => [relay.target('relay', clock)] });
    ({ bot, chat, hook } = status);
  });
  afterAll(async () => {
    await status.stop();
    await relay.stop();
  });
  beforeEach(async () => {
    relay.reset();
    await status.reset();
    relay.reset();
  });

  const entryLines = async () => (await bot.say('show')).split('\n').filter((l) => l.startsWith('#'));

  test('each status update on the timeline says where it went: delivered, retrying while a target is down, or waiting behind it', async () => {
    hook.down();
    await bot.say('start Checkout down --sev 2');
    await bot.say('status investigating Payments fail for some cards');
    await bot.deliverStatus();
    bot.clock.advance('10m');
    await bot.say('log Card processor answers 502');
    await bot.say('status identified The card processor is failing; we are switching');
    await bot.deliverStatus();
    expect(await entryLines()).toEqual([
      '#1 2026-03-01 10:00 opened · dana: Incident opened: Checkout down (SEV2)',
      '#2 2026-03-01 10:00 status · dana: Status investigating: Payments fail for some cards → relay ✓ · webhook ✗ retrying',
      '#3 2026-03-01 10:10 note · dana: Card processor answers 502',
      // Behind the first on the same external incident: it waits its turn.
      '#4 2026-03-01 10:10 status · dana: Status identified: The card processor is failing; we are switching → relay ✓ · webhook … waiting',
    ]);
    expect(relay.received.map((r) => r.body)).toEqual(['Payments fail for some cards', 'The card processor is failing; we are switching']);
    expect(hook.received).toEqual([]);

    hook.up();
    bot.clock.advance('1h');
    await bot.deliverStatus();
    bot.clock.advance('1h');
    await bot.deliverStatus();
    expect(hook.received.map((r) => r.body)).toEqual(['Payments fail for some cards', 'The card processor is failing; we are switching']);
    expect((await entryLines()).filter((l) => l.includes(' status · '))).toEqual([
      '#2 2026-03-01 10:00 status · dana: Status investigating: Payments fail for some cards → relay ✓ · webhook ✓',
      '#4 2026-03-01 10:10 status · dana: Status identified: The card processor is failing; we are switching → relay ✓ · webhook ✓',
    ]);
  });

  test('a dead delivery is marked beside its update with the command that retries it, as code on Slack and plain on IRC', async () => {
    hook.refuseWhen((r) => r.raw.includes('poison'));
    await bot.say('start Checkout down');
    await bot.say('status investigating <!channel> poison *pill* <https://evil.example|click>');
    for (let i = 0; i < 12; i++) {
      await bot.deliverStatus();
      bot.clock.advance('1h');
    }
    expect(hook.requests).toHaveLength(10);
    const reply = await bot.sayReply('show');
    const slack = renderSlackReply(reply).split('\n');
    expect(slack).toContain(
      '*#2* 2026-03-01 10:00 status · dana: Status investigating: &lt;!channel&gt; poison *pill* &lt;https://evil.example|click&gt; → relay ✓ · webhook ✗ dead (`deliveries retry 1`)',
    );
    expect(slack).toContain('Status pages: relay ✓ · webhook ✗ dead (`deliveries retry 1`)');
    expect(renderIrcReply(reply)).toContain(
      '\x02#2\x02 2026-03-01 10:00 status · dana: Status investigating: <!channel> poison *pill* <https://evil.example|click> → relay ✓ · webhook ✗ dead (deliveries retry 1)',
    );
    expect(chat.told.filter((t) => t.notice.kind === 'status_delivery_dead')).toHaveLength(1);
  });
});
