import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { startFakeSlack, type FakeSlack, type FakeUser } from '../support/fake-slack/index.ts';
import { RawIrcClient, type IrcLine } from '../support/irc-client.ts';
import { Ngircd } from '../support/ngircd.ts';
import { postToBolt, SlackSigner } from '../support/slack-signing.ts';
import { freePort } from '../http/raw-http.ts';

const SIGNING_SECRET = '5f2b9d1c7a3e4b6d8f0a1c2e3b4d5f6a';
const fromBot = (l: IrcLine) => l.nick === 'firebell';
const said = (command: string, target: string) => (l: IrcLine) => fromBot(l) && l.command === command && l.params[0]?.toLowerCase() === target;

/** One firebell on a Slack workspace (the fake Web API) and a real IRC server at once. */
describe.each(backends)('Slack and IRC together, on $name', (backend) => {
  let ircd: Ngircd;
  let fake: FakeSlack;
  let bot: TestBot;
  let signer: SlackSigner;
  let eventsUrl: string;
  let alice: FakeUser;
  let slackOps: string;
  let general: string;
  let dana: RawIrcClient;

  beforeAll(async () => {
    ircd = await Ngircd.start();
    fake = await startFakeSlack({ now: () => (bot ? bot.clock.now() : new Date('2026-03-02T00:00:00Z')) });
    alice = fake.addUser({ name: 'alice', displayName: 'Alice A' });
    slackOps = fake.addChannel({ name: 'ops', members: [alice.id] }).id;
    general = fake.addChannel({ name: 'general', members: [alice.id] }).id;
    signer = new SlackSigner({ signingSecret: SIGNING_SECRET, teamId: fake.team.id, botUserId: fake.bot.userId, botId: fake.bot.botId });
  });
  afterAll(async () => {
    await fake.stop();
    await ircd.stop();
  });
  afterEach(async () => {
    dana.destroy();
    await bot.stop();
  });

  async function start(): Promise<void> {
    dana = await RawIrcClient.connect(ircd.port, 'dana');
    await dana.join('#ops');
    const port = await freePort();
    bot = await startTestBot(backend, {
      env: {
        HTTP_PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        OPS_CHANNEL: '#ops',
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        IRC_HOST: ircd.host,
        IRC_PORT: String(ircd.port),
      },
      slack: { retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 } },
      irc: { reconnectDelaysMs: [100], intervalMs: 50 },
    });
    eventsUrl = `http://127.0.0.1:${port}/slack/events`;
    await dana.waitFor((l) => fromBot(l) && l.command === 'JOIN' && l.params[0] === '#ops', { what: 'the bot joining #ops' });
  }

  async function slashCommand(text: string, channelId: string): Promise<string> {
    const responseUrl = fake.responseUrl({ channelId, userId: alice.id });
    const from = fake.calls.length;
    const req = signer.command('/incident', text, {
      user: { id: alice.id, name: alice.name },
      channelId,
      channelName: fake.channel(channelId)?.name ?? 'x',
      responseUrl,
      triggerId: fake.newTriggerId(),
    });
    expect((await postToBolt(eventsUrl, req)).status).toBe(200);
    const reply = await fake.waitForCall('response_url', (c) => fake.calls.indexOf(c) >= from);
    return String(reply.args.text ?? '');
  }

  async function settle(): Promise<void> {
    await bot.firebell.executor.idle();
    await bot.firebell.outbox.drain();
  }

  test('an incident started on Slack gets an IRC channel too, is announced on both, and keeps one timeline', async () => {
    await start();
    bot.clock.set('2026-03-02T14:00:00Z');
    expect(await slashCommand('start Payments timing out --sev 2', general)).toContain('INC-1');

    const announced = await dana.waitFor(said('PRIVMSG', '#ops'), { what: 'the announcement on IRC' });
    expect(announced.params[1]).toBe('📣 INC-1 opened by Alice A: Payments timing out (SEV2) → #inc-1-payments-timing-out');
    await settle();
    const slackChannel = fake.channelByName('inc-1-payments-timing-out')!;
    expect(slackChannel).toBeDefined();
    expect(fake.messagesIn(slackOps).map((m) => m.text)).toEqual([`📣 INC-1 opened by Alice A: Payments timing out (SEV2) → <#${slackChannel.id}>`]);

    await dana.join('#inc-1-payments-timing-out');
    dana.privmsg('#inc-1-payments-timing-out', '!log Failed over to the secondary PSP');
    expect((await dana.waitFor(said('PRIVMSG', '#inc-1-payments-timing-out'), { what: 'the IRC reply' })).params[1]).toMatch(/^Logged .*INC-1/);
    expect(await slashCommand('log Card errors down to 0.1%', slackChannel.id)).toMatch(/^Logged/);

    // A status typed on Slack moves the IRC topic.
    expect(await slashCommand('status monitoring Payments recovering', slackChannel.id)).toMatch(/INC-1/);
    const topic = await dana.waitFor((l) => said('TOPIC', '#inc-1-payments-timing-out')(l) && l.params[1]!.includes('monitoring'), { what: 'the topic' });
    expect(topic.params[1]).toBe('INC-1 [SEV2] monitoring | Payments timing out | commander: none');

    const entries = (await bot.record(1)).entries.map((e) => [e.sourcePlatform, e.author, e.text]);
    expect(entries).toEqual(
      expect.arrayContaining([
        ['irc', 'dana', 'Failed over to the secondary PSP'],
        ['slack', 'Alice A', 'Card errors down to 0.1%'],
      ]),
    );
    expect(fake.invalidCalls).toEqual([]);
  });

  test('an incident started on IRC gets a Slack channel and is announced in Slack’s ops channel', async () => {
    await start();
    dana.privmsg('#ops', '!incident start Search index stale');
    await dana.waitFor((l) => said('PRIVMSG', '#ops')(l) && l.params[1]!.startsWith('📣'), { what: 'the IRC announcement' });
    await settle();
    const slackChannel = fake.channelByName('inc-1-search-index-stale')!;
    expect(slackChannel).toBeDefined();
    expect(fake.messagesIn(slackOps).map((m) => m.text)).toContain(`📣 INC-1 opened by dana: Search index stale (SEV3) → <#${slackChannel.id}>`);
    expect(fake.pinnedIn(slackChannel.id)).toHaveLength(1);
    expect(fake.invalidCalls).toEqual([]);
  });
});
