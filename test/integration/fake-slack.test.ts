/**
 * The real Bolt app against the fake Slack Web API, fed requests signed as Slack signs them: proof
 * that the fake and the signer are good enough for the Slack adapter's tests. The listeners here
 * are stand-ins for the adapter, small enough to read at a glance.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, HTTPReceiverDeferredRequestError, verifySlackRequest, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startFakeSlack, type FakeChannel, type FakeSlack, type FakeUser } from '../support/fake-slack/index.ts';
import { capturingLogger } from '../support/fake-slack/logger.ts';
import { postToBolt, SlackSigner, stateValue, type SignatureFault } from '../support/slack-signing.ts';

const signingSecret = '8f742231b10e8888abcd99yyyzzz85a5';

const startModal = {
  type: 'modal' as const,
  callback_id: 'incident_start',
  title: { type: 'plain_text' as const, text: 'Start an incident' },
  submit: { type: 'plain_text' as const, text: 'Start' },
  blocks: [
    { type: 'input', block_id: 'title', label: { type: 'plain_text' as const, text: 'Title' }, element: { type: 'plain_text_input', action_id: 'title' } },
    {
      type: 'input',
      block_id: 'severity',
      label: { type: 'plain_text' as const, text: 'Severity' },
      element: { type: 'static_select', action_id: 'severity', options: ['1', '2', '3', '4'].map((s) => ({ text: { type: 'plain_text', text: `SEV${s}` }, value: s })) },
    },
  ],
};

/** What the listeners were given, in order: proof that a request got past Bolt's checks. */
interface Heard {
  kind: string;
  text: string;
  retryNum?: number;
  retryReason?: string;
}

/** A Bolt app with stand-in listeners for /incident, reaction_added and the start modal. */
function buildApp(fake: FakeSlack, ops: FakeChannel, heard: Heard[]) {
  const logger = capturingLogger();
  const receiver = new HTTPReceiver({ signingSecret, logger });
  const app = new App({
    token: fake.botToken,
    receiver,
    logger,
    deferInitialization: true,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });

  app.command('/incident', async ({ command, ack, respond, client }) => {
    heard.push({ kind: 'command', text: command.text });
    // Slack shows the user an error if we have not acked within 3 s: ack first, then work.
    await ack();
    const [verb = '', ...rest] = command.text.split(' ');
    if (verb === 'start' && rest.length === 0) {
      await client.views.open({ trigger_id: command.trigger_id, view: startModal });
    } else if (verb === 'create') {
      try {
        await client.conversations.create({ name: rest.join(' ') });
        await respond('created');
      } catch (err) {
        if (!(err instanceof webApi.WebAPIPlatformError)) throw err;
        await respond({ response_type: 'ephemeral', text: `could not create the channel: ${err.data.error}` });
      }
    } else if (verb === 'close') {
      await client.files.uploadV2({ channel_id: command.channel_id, filename: 'INC-1.md', title: 'INC-1 postmortem', content: '# INC-1 draft\n', initial_comment: 'Postmortem draft' });
    } else {
      await respond({ response_type: 'ephemeral', text: `noted: ${command.text}` });
      await client.chat.postMessage({ channel: command.channel_id, text: `${command.user_name} said ${command.text}` });
    }
  });

  app.event('reaction_added', async ({ event, client, context }) => {
    heard.push({ kind: 'reaction_added', text: event.reaction, ...(context.retryNum !== undefined ? { retryNum: context.retryNum, retryReason: context.retryReason } : {}) });
    if (event.reaction !== 'pushpin' || event.item.type !== 'message') return;
    const history = await client.conversations.history({ channel: event.item.channel, latest: event.item.ts, inclusive: true, limit: 1 });
    const author = await client.users.info({ user: event.item_user! });
    await client.chat.postMessage({
      channel: event.item.channel,
      thread_ts: event.item.ts,
      text: `recorded "${history.messages?.[0]?.text}" by ${author.user?.profile?.display_name}`,
    });
  });

  app.view('incident_start', async ({ ack, view, body, client }) => {
    const title = view.state.values.title?.title?.value ?? '';
    const severity = view.state.values.severity?.severity?.selected_option?.value ?? '';
    heard.push({ kind: 'view_submission', text: title });
    await ack();
    await client.chat.postMessage({ channel: ops.id, text: `${body.user.name} opened SEV${severity}: ${title}` });
  });

  return { app, receiver, logger };
}

let fake: FakeSlack;
let ops: FakeChannel;
let war: FakeChannel;
let alice: FakeUser;
let signer: SlackSigner;
let heard: Heard[];
let app: App;
let logger: ReturnType<typeof capturingLogger>;
let eventsUrl: string;

beforeEach(async () => {
  fake = await startFakeSlack();
  alice = fake.addUser({ name: 'alice', displayName: 'Alice' });
  ops = fake.addChannel({ name: 'ops', members: [alice.id] });
  war = fake.addChannel({ name: 'inc-1-db', members: [alice.id, fake.bot.userId] });
  signer = new SlackSigner({ signingSecret, teamId: fake.team.id, botUserId: fake.bot.userId, botId: fake.bot.botId });
  heard = [];
  ({ app, logger } = buildApp(fake, ops, heard));
  // auth.test goes to the fake here; a failure would throw now rather than at the first event.
  await app.init();
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterEach(async (ctx) => {
  await app.stop();
  await fake.stop();
  if (ctx.task.result?.state === 'fail') console.error(logger.lines.join('\n'));
});

const command = (text: string, opts: { triggerId?: string; fault?: SignatureFault } = {}) =>
  signer.command(
    '/incident',
    text,
    {
      user: { id: alice.id, name: alice.name },
      channelId: war.id,
      channelName: war.name,
      responseUrl: fake.responseUrl({ channelId: war.id, userId: alice.id }),
      ...(opts.triggerId ? { triggerId: opts.triggerId } : {}),
    },
    opts.fault,
  );

describe('slash commands', () => {
  test('a signed /incident is acked at once; respond() and chat.postMessage reach the fake, and every call was valid', async () => {
    const answer = await postToBolt(eventsUrl, command('log db is slow'));
    expect(answer).toMatchObject({ status: 200, body: '' });
    await fake.waitForCall('chat.postMessage');
    expect(fake.responses.map((r) => [r.responseType, r.userId, r.text])).toEqual([['ephemeral', alice.id, 'noted: log db is slow']]);
    expect(fake.messagesIn(war.id).map((m) => m.text)).toEqual(['alice said log db is slow']);
    expect(fake.callsTo('auth.test')).toHaveLength(1);
    expect(fake.invalidCalls).toEqual([]);
  });

  test.each(['bad', 'missing', 'stale'] as const)('a %s signature is answered 401 and no listener hears it', async (fault) => {
    const answer = await postToBolt(eventsUrl, command('log should not land', { fault }));
    expect(answer).toMatchObject({ status: 401, body: '' });
    expect(heard).toEqual([]);
    expect(fake.calls.map((c) => c.method)).toEqual(['auth.test']);
    expect(fake.responses).toEqual([]);
  });

  test('an invalid Web API call gets Slack\'s error code back from the fake', async () => {
    await postToBolt(eventsUrl, command('create Bad Name'));
    await fake.waitForCall('response_url');
    expect(fake.responses.map((r) => r.text)).toEqual(['could not create the channel: invalid_name_specials']);
    expect(fake.invalidCalls.map((c) => [c.method, c.args.name, c.error])).toEqual([['conversations.create', 'Bad Name', 'invalid_name_specials']]);
  });

  test('/incident close uploads a file through files.uploadV2: URL from the fake, bytes, shared in the channel', async () => {
    await postToBolt(eventsUrl, command('close'));
    const done = await fake.waitForCall('files.completeUploadExternal');
    expect(done.ok).toBe(true);
    expect(fake.files.map((f) => [f.filename, f.content?.toString('utf8'), f.channels])).toEqual([['INC-1.md', '# INC-1 draft\n', [war.id]]]);
    expect(fake.messagesIn(war.id).at(-1)).toMatchObject({ subtype: 'file_share', text: 'Postmortem draft' });
    expect(fake.invalidCalls).toEqual([]);
  });
});

describe('modals', () => {
  test('/incident start opens the modal with the command\'s trigger_id; its signed submission reaches the view listener', async () => {
    const triggerId = fake.newTriggerId();
    await postToBolt(eventsUrl, command('start', { triggerId }));
    await fake.waitForCall('views.open');
    expect(fake.views.map((v) => [v.triggerId, v.view.callback_id])).toEqual([[triggerId, 'incident_start']]);

    const opened = fake.views[0]!;
    const submission = signer.viewSubmission({
      id: opened.id,
      view: opened.view,
      user: { id: alice.id, name: alice.name },
      values: { title: { title: stateValue.plainText('Checkout <!channel> 5xx') }, severity: { severity: stateValue.staticSelect('2', 'SEV2') } },
    });
    const answer = await postToBolt(eventsUrl, submission);
    expect(answer).toMatchObject({ status: 200, body: '' });
    await fake.waitForCall('chat.postMessage');
    expect(fake.messagesIn(ops.id).map((m) => m.text)).toEqual(['alice opened SEV2: Checkout <!channel> 5xx']);
    expect(fake.invalidCalls).toEqual([]);
  });

  test('a submission with a stale signature is 401', async () => {
    const answer = await postToBolt(eventsUrl, signer.viewSubmission({ id: 'V0000000001', view: startModal, user: alice, values: {} }, 'stale'));
    expect(answer.status).toBe(401);
    expect(heard).toEqual([]);
  });
});

describe('events', () => {
  test('a pushpin reaction reaches the listener, which reads the message and its author from the fake', async () => {
    const said = fake.postAsUser(war.id, alice.id, 'primary is failing over', { at: new Date(Date.now() - 60_000) });
    const answer = await postToBolt(eventsUrl, signer.reaction('reaction_added', { user: alice.id, reaction: 'pushpin', channel: war.id, ts: said.ts, itemUser: alice.id }));
    expect(answer.status).toBe(200);
    const reply = await fake.waitForCall('chat.postMessage');
    expect(reply.args).toMatchObject({ channel: war.id, thread_ts: said.ts, text: 'recorded "primary is failing over" by Alice' });
    expect(fake.invalidCalls).toEqual([]);
  });

  test('a retried delivery keeps its event_id and brings X-Slack-Retry-Num/Reason to the listener', async () => {
    const said = fake.postAsUser(war.id, alice.id, 'x');
    const first = signer.reaction('reaction_added', { user: alice.id, reaction: 'eyes', channel: war.id, ts: said.ts, itemUser: alice.id });
    const retry = signer.reaction('reaction_added', { user: alice.id, reaction: 'eyes', channel: war.id, ts: said.ts, itemUser: alice.id }, { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' });
    expect((await postToBolt(eventsUrl, first)).status).toBe(200);
    expect((await postToBolt(eventsUrl, retry)).status).toBe(200);
    expect(JSON.parse(retry.body).event_id).toBe(JSON.parse(first.body).event_id);
    expect(heard).toEqual([
      { kind: 'reaction_added', text: 'eyes' },
      { kind: 'reaction_added', text: 'eyes', retryNum: 1, retryReason: 'http_timeout' },
    ]);
  });

  test('an event with a bad signature is 401 and no listener hears it', async () => {
    const answer = await postToBolt(eventsUrl, signer.reaction('reaction_added', { user: alice.id, reaction: 'pushpin', channel: war.id, ts: '1700000000.000001', itemUser: alice.id }, {}, 'bad'));
    expect(answer.status).toBe(401);
    expect(heard).toEqual([]);
  });
});

describe('the signer agrees with Bolt\'s own verifySlackRequest', () => {
  const verify = (req: { headers: Record<string, string>; body: string }) => () =>
    verifySlackRequest({
      signingSecret,
      body: req.body,
      headers: {
        'x-slack-signature': req.headers['x-slack-signature']!,
        'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
      },
    });

  test('commands, events and view submissions verify; bad, missing and stale ones do not', () => {
    const user = { id: 'U0ALICE001', name: 'alice' };
    const at = { user, channelId: 'C0000000001', channelName: 'ops', responseUrl: 'https://hooks.slack.com/commands/T0/1/x' };
    expect(verify(signer.command('/incident', 'help', at))).not.toThrow();
    expect(verify(signer.event({ type: 'app_mention', text: 'hi' }))).not.toThrow();
    expect(verify(signer.viewSubmission({ id: 'V1', view: startModal, user, values: {} }))).not.toThrow();
    expect(verify(signer.command('/incident', 'help', at, 'bad'))).toThrow(/signature mismatch/);
    expect(verify(signer.command('/incident', 'help', at, 'missing'))).toThrow();
    expect(verify(signer.command('/incident', 'help', at, 'stale'))).toThrow(/stale/);
  });
});

describe('mounting Bolt inside our own HTTP server', () => {
  // How src/http can host Slack: HTTPReceiver.requestListener answers /slack/events and throws
  // HTTPReceiverDeferredRequestError, synchronously, for any other request, which falls through
  // to our own routes.
  test('/slack/events goes to Bolt, still signature-checked; every other path falls through to ours', async () => {
    const { app: mountedApp, receiver } = buildApp(fake, ops, heard);
    await mountedApp.init();
    const server = createServer((req, res) => {
      try {
        receiver.requestListener(req, res);
      } catch (err) {
        if (!(err instanceof HTTPReceiverDeferredRequestError)) throw err;
        res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'text/plain' }).end(req.url === '/healthz' ? 'ours' : 'not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const health = await fetch(`${base}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, 'ours']);
      expect((await fetch(`${base}/slack/events`)).status).toBe(404); // a GET is not Bolt's
      expect((await postToBolt(`${base}/slack/events`, command('log via our server'))).status).toBe(200);
      expect((await postToBolt(`${base}/slack/events`, command('log forged', { fault: 'bad' }))).status).toBe(401);
      await fake.waitForCall('chat.postMessage');
      expect(heard.map((h) => h.text)).toEqual(['log via our server']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
