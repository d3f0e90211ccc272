import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { startFakeSlack, type FakeSlack, type FakeUser } from '../support/fake-slack/index.ts';

const pglite = backends.find((b) => b.name === 'pglite')!;

// With SLACK_APP_TOKEN, Slack delivers over a WebSocket the bot opens (apps.connections.open), and
// the bot needs no public HTTP port: here HTTP_PORT=0.
describe('Slack in Socket Mode', () => {
  let fake: FakeSlack;
  let bot: TestBot;
  let alice: FakeUser;
  let generalId: string;

  beforeAll(async () => {
    fake = await startFakeSlack({ now: () => (bot ? bot.clock.now() : new Date('2026-03-02T00:00:00Z')) });
    bot = await startTestBot(pglite, {
      env: {
        HTTP_PORT: '0',
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: 'unused-in-socket-mode',
        SLACK_APP_TOKEN: fake.appToken,
        SLACK_API_URL: fake.apiUrl,
        OPS_CHANNEL: '#ops',
      },
      slack: { retryConfig: { retries: 0 } },
    });
    await fake.waitForSocket();
    alice = fake.addUser({ name: 'alice', displayName: 'Alice A' });
    generalId = fake.addChannel({ name: 'general', members: [alice.id] }).id;
    fake.addChannel({ name: 'ops' });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.stop();
  });

  test('the bot connects with the app token, acks a slash command over the socket and answers it', async () => {
    expect(fake.callsTo('apps.connections.open').map((c) => c.ok)).toEqual([true]);
    const from = fake.calls.length;
    const ack = await fake.sendEnvelope('slash_commands', {
      token: 'legacy',
      team_id: fake.team.id,
      team_domain: 'firebell-test',
      channel_id: generalId,
      channel_name: 'general',
      user_id: alice.id,
      user_name: alice.name,
      command: '/incident',
      text: 'start Socket incident --sev 2',
      api_app_id: fake.bot.appId,
      is_enterprise_install: 'false',
      response_url: fake.responseUrl({ channelId: generalId, userId: alice.id }),
      trigger_id: fake.newTriggerId(),
    });
    expect(ack.envelope_id).toBeTruthy();
    const reply = await fake.waitForCall('response_url', (c) => fake.calls.indexOf(c) >= from);
    expect(String(reply.args.text)).toMatch(/^\*INC-1\* opened: Socket incident · SEV2/);
    await bot.firebell.executor.idle();
    await bot.firebell.outbox.drain();
    expect(fake.channelByName('inc-1-socket-incident')).toBeDefined();
    expect(fake.invalidCalls).toEqual([]);
  });
});
