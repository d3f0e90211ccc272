import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackCall, type FakeUser } from '../support/fake-slack/index.ts';
import { postToBolt, SlackSigner } from '../support/slack-signing.ts';
import { postgresBehindProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { freePort } from '../http/raw-http.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const SIGNING_SECRET = 'd41d8cd98f00b204e9800998ecf8427e';

// Lesson 1 on Slack: while Postgres is unreachable, /incident and the timeline emoji still take
// what people record; the real answers follow when the database is back.
describe.skipIf(!adminUrl)('Slack while Postgres is unreachable', () => {
  let proxy: TcpProxy;
  let fake: FakeSlack;
  let bot: TestBot;
  let signer: SlackSigner;
  let eventsUrl: string;
  let alice: FakeUser;
  let bob: FakeUser;
  let channelId: string;

  beforeAll(async () => {
    const behind = await postgresBehindProxy(adminUrl!);
    proxy = behind.proxy;
    fake = await startFakeSlack({ now: () => (bot ? bot.clock.now() : new Date('2026-03-01T10:00:00Z')) });
    const port = await freePort();
    bot = await startTestBot(behind.backend, {
      now: '2026-03-01T10:00:00Z',
      env: { HTTP_PORT: String(port), SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl },
      slack: { retryConfig: { retries: 0 } },
    });
    eventsUrl = `http://127.0.0.1:${port}/slack/events`;
    signer = new SlackSigner({ signingSecret: SIGNING_SECRET, teamId: fake.team.id });
    alice = fake.addUser({ name: 'alice', displayName: 'Alice A' });
    bob = fake.addUser({ name: 'bob', displayName: 'Bob B' });
    const general = fake.addChannel({ name: 'general', members: [alice.id] });
    await command('start Payments queue stuck', general.id);
    await bot.firebell.executor.idle();
    await bot.firebell.outbox.drain();
    channelId = fake.channelByName('inc-1-payments-queue-stuck')!.id;
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await bot.stop();
    await proxy.stop();
    await fake.stop();
  });

  async function command(text: string, channel: string): Promise<FakeSlackCall> {
    const from = fake.calls.length;
    const responseUrl = fake.responseUrl({ channelId: channel, userId: alice.id });
    const req = signer.command('/incident', text, { user: { id: alice.id, name: alice.name }, channelId: channel, channelName: 'x', responseUrl, triggerId: fake.newTriggerId() });
    expect((await postToBolt(eventsUrl, req)).status).toBe(200);
    return fake.waitForCall('response_url', (c) => fake.calls.indexOf(c) >= from);
  }

  test('a command and a pinned message are queued, then recorded and answered when the database is back', async () => {
    const message = fake.postAsUser(channelId, bob.id, 'Standby is read-only', { at: new Date('2026-03-01T10:03:00Z') });
    await proxy.cut();
    bot.clock.set('2026-03-01T10:05:00Z');
    const queued = await command('log Failing over to the standby', channelId);
    expect(queued.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(queued.args.text)).toMatch(/^⏳ The database is unreachable/);

    const from = fake.calls.length;
    const pin = signer.reaction('reaction_added', { user: alice.id, reaction: 'pushpin', channel: channelId, ts: message.ts, itemUser: bob.id });
    expect((await postToBolt(eventsUrl, pin)).status).toBe(200);
    const told = await fake.waitForCall('chat.postEphemeral', (c) => fake.calls.indexOf(c) >= from);
    expect(String(told.args.text)).toMatch(/^⏳ /);

    await proxy.restore();
    const late = fake.calls.length;
    expect(await bot.firebell.executor.retryBacklog()).toBe(true);
    await bot.firebell.outbox.drain();
    const answers = fake.calls.slice(late).filter((c) => c.method === 'response_url' || c.method === 'chat.postEphemeral');
    expect(answers.map((c) => [c.method, String(c.args.text)])).toEqual([
      ['response_url', '_recorded now:_ `/incident log Failing over to the standby`\nLogged *#2* on INC-1 at 2026-03-01 10:05 UTC'],
      ['chat.postEphemeral', 'Logged *#3* on INC-1 at 2026-03-01 10:03 UTC'],
    ]);
    const { entries } = await bot.record(1);
    expect(entries.map((e) => [e.occurredAt.toISOString(), e.author, e.text])).toEqual([
      ['2026-03-01T10:00:00.000Z', 'Alice A', 'Incident opened: Payments queue stuck (SEV3)'],
      ['2026-03-01T10:03:00.000Z', 'Bob B', 'Standby is read-only'],
      ['2026-03-01T10:05:00.000Z', 'Alice A', 'Failing over to the standby'],
    ]);
    expect(fake.invalidCalls).toEqual([]);
  });
});
