import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunningFirebell } from '../support/cli.ts';
import { backends, type TestDatabase } from '../support/databases.ts';
import { startFakeSlack, type FakeSlack, type FakeUser } from '../support/fake-slack/index.ts';
import { RawIrcClient, type IrcLine } from '../support/irc-client.ts';
import { Ngircd } from '../support/ngircd.ts';
import { postToBolt, SlackSigner } from '../support/slack-signing.ts';
import { freePort } from '../http/raw-http.ts';

const postgres = backends.find((b) => b.name === 'postgres');
const fromBot = (l: IrcLine) => l.nick?.startsWith('firebell') ?? false;
const SIGNING_SECRET = '9e107d9d372bb6826bd81d3542a419d6';

interface Instance {
  bot: RunningFirebell;
  /** Where Slack (through a load balancer) delivers to this one. */
  eventsUrl: string;
}

// Two firebell processes on one Postgres, one IRC network and one Slack workspace (README "Running
// more than one"): IRC is held by one of them, Slack reaches either.
describe.skipIf(!postgres)('two firebell processes on one IRC network and one Slack workspace', () => {
  let server: Ngircd;
  let database: TestDatabase;
  let slack: FakeSlack;
  let signer: SlackSigner;
  let alice: FakeUser;
  const dirs: string[] = [];
  const bots: RunningFirebell[] = [];

  beforeAll(async () => {
    server = await Ngircd.start();
    database = await postgres!.create();
    slack = await startFakeSlack();
    alice = slack.addUser({ name: 'alice', displayName: 'Alice A' });
    slack.addChannel({ name: 'ops', members: [alice.id] });
    // Bolt checks signatures against real time, so requests are signed at real time.
    signer = new SlackSigner({ signingSecret: SIGNING_SECRET, teamId: slack.team.id, botUserId: slack.bot.userId, botId: slack.bot.botId });
  });
  afterAll(async () => {
    for (const bot of bots) if (bot.child.exitCode === null && bot.child.signalCode === null) await bot.kill('SIGKILL');
    await slack.stop();
    await server.stop();
    await database.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function startInstance(): Promise<Instance> {
    const dir = await mkdtemp(join(tmpdir(), 'firebell-irc-two-'));
    dirs.push(dir);
    const port = await freePort();
    const bot = new RunningFirebell({
      DATA_DIR: dir,
      DATABASE_URL: database.settings.DATABASE_URL!,
      HTTP_PORT: String(port),
      IRC_HOST: server.host,
      IRC_PORT: String(server.port),
      OPS_CHANNEL: '#ops',
      IRC_ALLOW: '*!*@*',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      // The terminal beside the chat: a way to ask each instance directly.
      FIREBELL_SHELL: '1',
      // For the line saying its HTTP port is open.
      LOG_LEVEL: 'info',
    });
    bots.push(bot);
    return { bot, eventsUrl: `http://127.0.0.1:${port}/slack/events` };
  }

  /** `/incident <text>` from Alice in a Slack channel, delivered to one instance; resolves with the reply. */
  async function slashCommand(to: Instance, text: string, channelId: string): Promise<string> {
    const from = slack.calls.length;
    const req = signer.command('/incident', text, {
      user: { id: alice.id, name: alice.name },
      channelId,
      channelName: slack.channel(channelId)?.name ?? 'x',
      responseUrl: slack.responseUrl({ channelId, userId: alice.id }),
      triggerId: slack.newTriggerId(),
    });
    // Its HTTP port opens once the database is: wait for the log line saying so.
    await to.bot.waitFor(() => to.bot.stderr.includes('http listening'));
    expect((await postToBolt(to.eventsUrl, req)).status).toBe(200);
    const reply = await slack.waitForCall('response_url', (c) => slack.calls.indexOf(c) >= from);
    return String(reply.args.text ?? '');
  }

  test('one holds IRC; SIGKILLed, the other takes over within 30 s, rejoins, and records; Slack reaches either', async () => {
    const dana = await RawIrcClient.connect(server.port, 'dana');
    await dana.join('#ops');
    const first = await startInstance();
    await dana.waitFor((l) => fromBot(l) && l.command === 'JOIN' && l.params[0] === '#ops', { what: 'the first instance joining #ops', timeoutMs: 45_000 });
    const second = await startInstance();

    dana.privmsg('#ops', '!incident start Queue stuck');
    const invite = await dana.waitFor((l) => fromBot(l) && l.command === 'INVITE', { what: 'the invitation' });
    const channel = invite.params[1]!;
    await dana.join(channel);
    dana.privmsg(channel, '!log Before the crash');
    await dana.waitFor((l) => fromBot(l) && l.command === 'PRIVMSG' && l.params[0] === channel && /^Logged/.test(l.params[1]!), { what: 'the first reply' });
    // The incident gets its Slack channel too, from whichever instance delivers that notice.
    await slack.waitForCall('conversations.create', () => true, 20_000);
    const slackChannel = slack.channelByName('inc-1-queue-stuck')!;
    expect(await slashCommand(first, 'log From Slack through the first', slackChannel.id)).toMatch(/^Logged .*INC-1/);

    // The second is up (it answers), yet only one bot is on the network: it would show up as firebell_.
    expect(await second.bot.say('list')).toMatch(/INC-1/);
    dana.send('NAMES #ops');
    const names = await dana.waitFor((l) => l.command === '353' && l.params[2] === '#ops', { what: 'the names in #ops' });
    expect(names.params[3]!.split(' ').filter((n) => n.replace(/^[@+]/, '').startsWith('firebell'))).toHaveLength(1);

    await first.bot.kill('SIGKILL');
    const killedAt = Date.now();
    // Slack's next delivery goes to the one still running, and is answered at once.
    expect(await slashCommand(second, 'log From Slack through the second', slackChannel.id)).toMatch(/^Logged .*INC-1/);
    // The killed one's connection drops when the server notices; the other joins the incident's channel.
    await dana.waitFor((l) => fromBot(l) && l.command === 'JOIN' && l.params[0] === channel, { what: 'the other instance rejoining', timeoutMs: 40_000 });
    expect(Date.now() - killedAt).toBeLessThan(30_000);

    dana.privmsg(channel, '!log After the takeover');
    const reply = await dana.waitFor((l) => fromBot(l) && l.command === 'PRIVMSG' && l.params[0] === channel, { what: 'the reply after the takeover' });
    expect(reply.params[1]).toMatch(/^Logged \x02#\d+\x02 on INC-1/);
    await second.bot.say('show INC-1');
    await second.bot.waitFor(() => second.bot.stdout.includes('After the takeover'));
    for (const entry of ['Before the crash', 'From Slack through the first', 'From Slack through the second']) expect(second.bot.stdout).toContain(entry);
    expect(slack.calls.filter((c) => c.method === 'conversations.create')).toHaveLength(1);
    expect(slack.invalidCalls).toEqual([]);
    dana.destroy();
    expect((await second.bot.kill('SIGTERM')).code).toBe(0);
  });
});
