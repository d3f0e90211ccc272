/**
 * The fake Slack Web API, driven by the real @slack/web-api WebClient (the one Bolt uses): it must
 * answer valid calls with Slack's payloads and invalid ones with Slack's error codes, or the Slack
 * adapter's tests would prove nothing.
 */
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { ID_PATTERNS, startFakeSlack, type FakeSlack } from '../support/fake-slack/index.ts';
import { capturingLogger } from '../support/fake-slack/logger.ts';

let clock: ManualClock;
let fake: FakeSlack;
let client: webApi.WebClient;

function webClient(options: webApi.WebClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: capturingLogger(), ...options });
}

/** The error code Slack answered with; fails the test if the call succeeded or failed otherwise. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof webApi.WebAPIPlatformError) return err.data.error;
    throw err;
  }
  throw new Error('the call succeeded');
}

beforeEach(async () => {
  clock = new ManualClock('2026-03-14T09:26:53.589Z');
  fake = await startFakeSlack({ now: () => clock.now() });
  client = webClient();
});

afterEach(async () => {
  await fake.stop();
});

describe('auth', () => {
  test('auth.test answers with the bot identity Bolt needs', async () => {
    const r = await client.auth.test();
    expect(r).toMatchObject({ ok: true, user_id: fake.bot.userId, bot_id: fake.bot.botId, team_id: fake.team.id });
    expect(r.bot_id).toMatch(ID_PATTERNS.bot);
    expect(r.team_id).toMatch(ID_PATTERNS.team);
  });

  test('no token is not_authed and a wrong one invalid_auth; both count as invalid calls', async () => {
    expect(await slackError(new webApi.WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }).auth.test())).toBe('not_authed');
    expect(await slackError(new webApi.WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }).auth.test())).toBe('invalid_auth');
    expect(fake.invalidCalls.map((c) => c.error)).toEqual(['not_authed', 'invalid_auth']);
  });

  test('a token in the form body is accepted, one in a JSON body is not', async () => {
    const form = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${fake.botToken}`,
    });
    expect(await form.json()).toMatchObject({ ok: true });
    const json = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: fake.botToken }) });
    expect(await json.json()).toEqual({ ok: false, error: 'not_authed' });
  });
});

describe('request bodies', () => {
  const post = (method: string, init: { headers?: Record<string, string>; body: string }) =>
    fetch(`${fake.apiUrl}${method}`, { method: 'POST', headers: { authorization: `Bearer ${fake.botToken}`, ...init.headers }, body: init.body }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
    );

  test('a JSON body with the token in the Authorization header works, blocks as real JSON', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    const r = await post('chat.postMessage', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: ops.id, text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] }),
    });
    expect(r).toMatchObject({ status: 200, body: { ok: true, channel: ops.id } });
    expect(fake.messagesIn(ops.id)[0]?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }]);
  });

  test('content types and charsets Slack refuses get its error codes', async () => {
    expect((await post('auth.test', { headers: { 'content-type': 'application/xml' }, body: '<x/>' })).body.error).toBe('invalid_post_type');
    expect((await post('auth.test', { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' }, body: 'a=b' })).body.error).toBe('invalid_charset');
    expect((await post('auth.test', { headers: { 'content-type': 'application/json' }, body: '{not json' })).body.error).toBe('invalid_json');
    expect(fake.invalidCalls).toHaveLength(3);
  });

  test('an unknown method is unknown_method, and an invalid call', async () => {
    expect(await slackError(client.apiCall('conversations.frobnicate', {}))).toBe('unknown_method');
    expect(fake.invalidCalls.map((c) => c.method)).toEqual(['conversations.frobnicate']);
  });

  test('arguments a method does not know, like the team_id Bolt adds, are tolerated', async () => {
    await webClient({ teamId: fake.team.id }).conversations.create({ name: 'inc-1-db' });
    expect(fake.callsTo('conversations.create')[0]).toMatchObject({ ok: true, invalid: false, args: { name: 'inc-1-db', team_id: fake.team.id } });
  });
});

describe('conversations.create', () => {
  test('makes a channel the bot is in, with an ID in Slack\'s pattern', async () => {
    const r = await client.conversations.create({ name: 'inc-42-database-outage' });
    expect(r.channel).toMatchObject({ name: 'inc-42-database-outage', is_member: true, is_archived: false, creator: fake.bot.userId });
    expect(r.channel?.id).toMatch(ID_PATTERNS.channel);
    expect(fake.channelByName('inc-42-database-outage')?.id).toBe(r.channel?.id);
  });

  test.each([
    ['Bad Name', 'invalid_name_specials'],
    ['UPPER', 'invalid_name_specials'],
    ['inc.1', 'invalid_name_specials'],
    ['', 'invalid_name_required'],
    ['x'.repeat(81), 'invalid_name_maxlength'],
    ['-_-', 'invalid_name_punctuation'],
  ])('the name %j is refused with %s and nothing is made', async (name, code) => {
    expect(await slackError(client.conversations.create({ name }))).toBe(code);
    expect(fake.invalidCalls.map((c) => c.error)).toEqual([code]);
    expect(fake.channelByName(name)).toBeUndefined();
  });

  test('80 characters is allowed', async () => {
    await client.conversations.create({ name: 'x'.repeat(80) });
    expect(fake.invalidCalls).toEqual([]);
  });

  test('a name in use, by a live or an archived channel, is name_taken (not an invalid call)', async () => {
    await client.conversations.create({ name: 'inc-1-db' });
    expect(await slackError(client.conversations.create({ name: 'inc-1-db' }))).toBe('name_taken');
    const old = await client.conversations.create({ name: 'inc-2-old' });
    await client.conversations.archive({ channel: old.channel!.id! });
    expect(await slackError(client.conversations.create({ name: 'inc-2-old' }))).toBe('name_taken');
    expect(fake.invalidCalls).toEqual([]);
  });
});

describe('an incident channel, end to end', () => {
  test('invite, topic, purpose, summary message, pin, update, bookmark: the workspace shows each', async () => {
    const alice = fake.addUser({ name: 'alice', displayName: 'Alice' });
    const { channel } = await client.conversations.create({ name: 'inc-7-checkout' });
    const id = channel!.id!;
    await client.conversations.invite({ channel: id, users: alice.id });
    await client.conversations.setTopic({ channel: id, topic: 'SEV2 · investigating · commander Alice' });
    await client.conversations.setPurpose({ channel: id, purpose: 'INC-7: checkout errors' });
    const summary = await client.chat.postMessage({
      channel: id,
      text: 'INC-7 checkout errors',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'INC-7 checkout errors' } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Severity*\nSEV2' }, { type: 'mrkdwn', text: '*Status*\ninvestigating' }] },
      ],
    });
    expect(summary.ts).toMatch(ID_PATTERNS.ts);
    await client.pins.add({ channel: id, timestamp: summary.ts! });
    await client.chat.update({ channel: id, ts: summary.ts!, text: 'INC-7 checkout errors (identified)' });
    await client.bookmarks.add({ channel_id: id, title: 'Postmortem draft', type: 'link', link: 'https://firebell.example/postmortems/INC-7.md' });

    const c = fake.channel(id)!;
    expect([...c.members]).toEqual([fake.bot.userId, alice.id]);
    expect(c.topic.value).toBe('SEV2 · investigating · commander Alice');
    expect(c.purpose.value).toBe('INC-7: checkout errors');
    expect(fake.pinnedIn(id).map((m) => m.text)).toEqual(['INC-7 checkout errors (identified)']);
    expect(c.bookmarks.map((b) => b.link)).toEqual(['https://firebell.example/postmortems/INC-7.md']);
    expect(fake.messagesIn(id).map((m) => m.subtype ?? 'message')).toEqual(['channel_join', 'channel_topic', 'channel_purpose', 'message']);
    expect(fake.invalidCalls).toEqual([]);
  });

  test('a topic or purpose of 251 characters is too_long; 250 is fine', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-1-x' });
    expect(await slackError(client.conversations.setTopic({ channel: channel!.id!, topic: 't'.repeat(251) }))).toBe('too_long');
    expect(await slackError(client.conversations.setPurpose({ channel: channel!.id!, purpose: 'p'.repeat(251) }))).toBe('too_long');
    await client.conversations.setTopic({ channel: channel!.id!, topic: 't'.repeat(250) });
    expect(fake.channel(channel!.id!)?.topic.value).toHaveLength(250);
  });

  test('the topic cannot be set in a channel the bot is not in', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    expect(await slackError(client.conversations.setTopic({ channel: ops.id, topic: 'x' }))).toBe('not_in_channel');
    await client.conversations.join({ channel: ops.id });
    await client.conversations.setTopic({ channel: ops.id, topic: 'x' });
    expect(fake.channel(ops.id)?.topic.value).toBe('x');
  });
});

describe('chat', () => {
  test('a message needs text or blocks', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    expect(await slackError(client.chat.postMessage({ channel: ops.id } as webApi.ChatPostMessageArguments))).toBe('no_text');
    expect(fake.invalidCalls.map((c) => c.error)).toEqual(['no_text']);
  });

  test('blocks that break Block Kit are invalid_blocks, with where in the response metadata', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    const header = [{ type: 'header', text: { type: 'mrkdwn', text: '*INC-1*' } }];
    expect(await slackError(client.chat.postMessage({ channel: ops.id, text: 'x', blocks: header }))).toBe('invalid_blocks');
    expect(fake.invalidCalls[0]?.messages).toEqual(['[ERROR] must be a plain_text object [json-pointer:/blocks/0/text/type]']);
    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    expect(await slackError(client.chat.postMessage({ channel: ops.id, text: 'x', blocks: long }))).toBe('invalid_blocks');
    expect(await slackError(client.apiCall('chat.postMessage', { channel: ops.id, blocks: '[{"type":' }))).toBe('invalid_blocks_format');
  });

  test('a channel may be named; an unknown or archived one is refused', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    expect((await client.chat.postMessage({ channel: '#ops', text: 'hello' })).channel).toBe(ops.id);
    expect(await slackError(client.chat.postMessage({ channel: 'C0NOSUCH000', text: 'x' }))).toBe('channel_not_found');
    expect(await slackError(client.chat.postMessage({ channel: 'Not A Channel', text: 'x' }))).toBe('channel_not_found');
    fake.channel(ops.id)!.isArchived = true;
    expect(await slackError(client.chat.postMessage({ channel: ops.id, text: 'x' }))).toBe('is_archived');
  });

  test('chat.update needs an existing message the bot wrote', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    const theirs = fake.postAsUser(ops.id, 'U0ALICE001', 'hello');
    expect(await slackError(client.chat.update({ channel: ops.id, ts: '1700000000.000001', text: 'x' }))).toBe('message_not_found');
    expect(await slackError(client.chat.update({ channel: ops.id, ts: theirs.ts, text: 'x' }))).toBe('cant_update_message');
    expect(await slackError(client.chat.update({ channel: ops.id, ts: 'yesterday', text: 'x' }))).toBe('message_not_found');
    expect(fake.message(ops.id, theirs.ts)?.text).toBe('hello');
  });

  test('pins.add needs an existing message, once, and a real timestamp', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-1-x' });
    const id = channel!.id!;
    const m = await client.chat.postMessage({ channel: id, text: 'summary' });
    expect(await slackError(client.pins.add({ channel: id, timestamp: '1700000000.000001' }))).toBe('message_not_found');
    expect(await slackError(client.pins.add({ channel: id, timestamp: 'soon' }))).toBe('bad_timestamp');
    expect(await slackError(client.apiCall('pins.add', { channel: id }))).toBe('no_item_specified');
    await client.pins.add({ channel: id, timestamp: m.ts! });
    expect(await slackError(client.pins.add({ channel: id, timestamp: m.ts! }))).toBe('already_pinned');
  });

  test('an ephemeral message goes only to a member of the channel', async () => {
    const alice = fake.addUser({ name: 'alice' });
    const ops = fake.addChannel({ name: 'ops', members: [alice.id] });
    await client.chat.postEphemeral({ channel: ops.id, user: alice.id, text: 'only you' });
    expect(fake.ephemerals).toEqual([{ channel: ops.id, user: alice.id, text: 'only you' }]);
    expect(await slackError(client.chat.postEphemeral({ channel: ops.id, user: 'U0BOB00001', text: 'x' }))).toBe('user_not_in_channel');
  });
});

describe('members and users', () => {
  test('conversations.invite refuses unknown users, the bot itself, members, and more than 100', async () => {
    const alice = fake.addUser({ name: 'alice' });
    const { channel } = await client.conversations.create({ name: 'inc-1-x' });
    const id = channel!.id!;
    expect(await slackError(client.conversations.invite({ channel: id, users: 'U0NOBODY01' }))).toBe('user_not_found');
    expect(await slackError(client.conversations.invite({ channel: id, users: 'not-a-user' }))).toBe('user_not_found');
    expect(await slackError(client.conversations.invite({ channel: id, users: fake.bot.userId }))).toBe('cant_invite_self');
    await client.conversations.invite({ channel: id, users: alice.id });
    expect(await slackError(client.conversations.invite({ channel: id, users: alice.id }))).toBe('already_in_channel');
    const many = Array.from({ length: 101 }, (_, i) => `U${String(i).padStart(9, '0')}`).join(',');
    expect(await slackError(client.conversations.invite({ channel: id, users: many }))).toBe('invalid_arguments');
    expect(await slackError(client.apiCall('conversations.invite', { channel: id }))).toBe('no_user');
  });

  test('users.info gives a seeded user\'s profile and user_not_found for anyone else', async () => {
    const alice = fake.addUser({ name: 'alice', realName: 'Alice Liddell', displayName: 'alice.l', tz: 'America/Denver' });
    const r = await client.users.info({ user: alice.id });
    expect(r.user).toMatchObject({ id: alice.id, name: 'alice', real_name: 'Alice Liddell', tz: 'America/Denver', profile: { display_name: 'alice.l' } });
    expect(await slackError(client.users.info({ user: 'U0NOBODY01' }))).toBe('user_not_found');
    expect(fake.invalidCalls).toEqual([]);
  });
});

describe('reading messages', () => {
  test('history with latest=ts, inclusive, limit 1 is that one message, with its author and own time', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-1-x' });
    const id = channel!.id!;
    fake.postAsUser(id, 'U0BOB00001', 'earlier', { at: new Date('2026-03-14T09:01:00Z') });
    const before = fake.postAsUser(id, 'U0ALICE001', 'primary is failing over', { at: new Date('2026-03-14T09:05:00.250Z') });
    fake.postAsUser(id, 'U0BOB00001', 'later', { at: new Date('2026-03-14T09:10:00Z') });
    expect(before.ts).toBe('1773479100.250000');
    const r = await client.conversations.history({ channel: id, latest: before.ts, inclusive: true, limit: 1 });
    expect(r.messages).toEqual([expect.objectContaining({ type: 'message', user: 'U0ALICE001', text: 'primary is failing over', ts: before.ts })]);
    expect(r.has_more).toBe(true);
  });

  test('a thread reply is read with conversations.replies, not history', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-1-x' });
    const id = channel!.id!;
    const root = fake.postAsUser(id, 'U0ALICE001', 'root');
    const reply = fake.postAsUser(id, 'U0BOB00001', 'in the thread', { threadTs: root.ts });
    const history = await client.conversations.history({ channel: id });
    expect(history.messages?.map((m) => [m.text, m.reply_count])).toEqual([['root', 1]]);
    const replies = await client.conversations.replies({ channel: id, ts: reply.ts, latest: reply.ts, inclusive: true });
    expect(replies.messages?.map((m) => [m.text, m.thread_ts])).toEqual([['root', root.ts], ['in the thread', root.ts]]);
    expect(await slackError(client.conversations.replies({ channel: id, ts: '1700000000.000001' }))).toBe('thread_not_found');
  });

  test('a channel the bot is not in cannot be read until it joins', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    expect(await slackError(client.conversations.history({ channel: ops.id }))).toBe('not_in_channel');
    await client.conversations.join({ channel: ops.id });
    expect((await client.conversations.history({ channel: ops.id })).ok).toBe(true);
    expect(await slackError(client.conversations.history({ channel: ops.id, latest: 'now' }))).toBe('invalid_ts_latest');
  });

  test('conversations.info describes the channel', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    expect((await client.conversations.info({ channel: ops.id })).channel).toMatchObject({ id: ops.id, name: 'ops', is_member: false });
  });
});

describe('modals', () => {
  const modal = {
    type: 'modal' as const,
    callback_id: 'incident_start',
    title: { type: 'plain_text' as const, text: 'Start an incident' },
    submit: { type: 'plain_text' as const, text: 'Start' },
    blocks: [{ type: 'input', block_id: 'title', label: { type: 'plain_text' as const, text: 'Title' }, element: { type: 'plain_text_input', action_id: 'title' } }],
  };

  test('views.open takes a trigger_id once, within 3 seconds', async () => {
    const trigger = fake.newTriggerId();
    const r = await client.views.open({ trigger_id: trigger, view: modal });
    expect(r.view).toMatchObject({ callback_id: 'incident_start', type: 'modal' });
    expect(fake.views.map((v) => v.view.callback_id)).toEqual(['incident_start']);
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal }))).toBe('exchanged_trigger_id');
    const late = fake.newTriggerId();
    clock.advance('4s');
    expect(await slackError(client.views.open({ trigger_id: late, view: modal }))).toBe('expired_trigger_id');
    expect(await slackError(client.views.open({ trigger_id: 'abc', view: modal }))).toBe('invalid_trigger_id');
  });

  test('a view Slack would refuse is invalid_arguments', async () => {
    const tooLong = { ...modal, title: { type: 'plain_text' as const, text: 'Start a brand new incident now' } };
    expect(await slackError(client.views.open({ trigger_id: fake.newTriggerId(), view: tooLong }))).toBe('invalid_arguments');
    const noSubmit = { ...modal, submit: undefined };
    expect(await slackError(client.views.open({ trigger_id: fake.newTriggerId(), view: noSubmit }))).toBe('invalid_arguments');
    expect(fake.invalidCalls.map((c) => c.messages?.[0])).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      '[ERROR] must provide submit when the view has input blocks [json-pointer:/view/submit]',
    ]);
  });
});

describe('files.uploadV2', () => {
  test('the SDK\'s three steps go through the fake and share the file in the channel', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-3-x' });
    const id = channel!.id!;
    const draft = '# INC-3 postmortem (draft)\n\nWhat happened: …\n';
    const r = (await client.files.uploadV2({ channel_id: id, filename: 'INC-3.md', title: 'INC-3 postmortem', content: draft, initial_comment: 'Draft attached' })) as unknown as {
      files: { files: { id: string; title: string; permalink: string }[] }[];
    };
    const shared = r.files[0]!.files[0]!;
    expect(shared.title).toBe('INC-3 postmortem');
    expect(fake.file(shared.id)?.content?.toString('utf8')).toBe(draft);
    expect(fake.file(shared.id)?.channels).toEqual([id]);
    expect(fake.messagesIn(id).at(-1)).toMatchObject({ subtype: 'file_share', text: 'Draft attached', files: [shared.id] });
    expect(fake.calls.map((c) => c.method)).toEqual(['conversations.create', 'files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal']);
    expect(fake.invalidCalls).toEqual([]);
  });

  test('completing a file that was never uploaded is file_not_found', async () => {
    const { file_id } = await client.files.getUploadURLExternal({ filename: 'a.md', length: 3 });
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: file_id! }] }))).toBe('file_not_found');
  });

  test('a length of 0 or no filename is refused', async () => {
    expect(await slackError(client.files.getUploadURLExternal({ filename: 'a.md', length: 0 }))).toBe('missing_argument');
    expect(await slackError(client.apiCall('files.getUploadURLExternal', { length: 3 }))).toBe('invalid_arguments');
  });
});

describe('bookmarks.add', () => {
  test('takes only type link and an http(s) link', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    expect(await slackError(client.bookmarks.add({ channel_id: ops.id, title: 'x', type: 'file' as 'link', link: 'https://x.example' }))).toBe('invalid_bookmark_type');
    expect(await slackError(client.bookmarks.add({ channel_id: ops.id, title: 'x', type: 'link', link: 'ftp://x.example' }))).toBe('invalid_link');
  });
});

describe('faults', () => {
  test('failNext answers the next call with the error, then the method works again', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    fake.failNext('chat.postMessage', 'channel_not_found');
    expect(await slackError(client.chat.postMessage({ channel: ops.id, text: 'x' }))).toBe('channel_not_found');
    await client.chat.postMessage({ channel: ops.id, text: 'y' });
    expect(fake.messagesIn(ops.id).map((m) => m.text)).toEqual(['y']);
    expect(fake.callsTo('chat.postMessage').map((c) => [c.ok, c.injected])).toEqual([[false, true], [true, false]]);
    expect(fake.invalidCalls).toEqual([]);
  });

  test('a rate limit is HTTP 429 with Retry-After; the WebClient waits and retries', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    fake.rateLimitNext('chat.postMessage', 0);
    const retrying = webClient({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    const limited: number[] = [];
    retrying.on(webApi.WebClientEvent.RATE_LIMITED, (sec: number) => limited.push(sec));
    await retrying.chat.postMessage({ channel: ops.id, text: 'after the wait' });
    expect(limited).toEqual([0]);
    expect(fake.callsTo('chat.postMessage').map((c) => [c.status, c.error ?? 'ok'])).toEqual([[429, 'ratelimited'], [200, 'ok']]);
    expect(fake.messagesIn(ops.id).map((m) => m.text)).toEqual(['after the wait']);
  });

  test('with rejectRateLimitedCalls the Retry-After reaches the caller', async () => {
    fake.rateLimitNext('conversations.create', 7);
    const err = await webClient({ rejectRateLimitedCalls: true })
      .conversations.create({ name: 'inc-1-x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(webApi.WebAPIRateLimitedError);
    expect((err as webApi.WebAPIRateLimitedError).retryAfter).toBe(7);
  });

  test('delayMs slows every Web API call, not the empty round trip', async () => {
    fake.delayMs = 1_000;
    const t0 = performance.now();
    await client.auth.test();
    const apiMs = performance.now() - t0;
    const t1 = performance.now();
    await fetch(`${fake.url}/empty`, { method: 'POST' });
    const emptyMs = performance.now() - t1;
    expect(apiMs).toBeGreaterThanOrEqual(995);
    expect(emptyMs).toBeLessThan(apiMs);
  });
});

describe('response_url', () => {
  const respond = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, text: await r.text() }));

  test('records what was posted, ephemeral unless in_channel, which also appears in the channel', async () => {
    const alice = fake.addUser({ name: 'alice' });
    const ops = fake.addChannel({ name: 'ops', members: [alice.id] });
    const url = fake.responseUrl({ channelId: ops.id, userId: alice.id });
    expect(await respond(url, { text: 'only you' })).toEqual({ status: 200, text: 'ok' });
    expect(await respond(url, { response_type: 'in_channel', text: 'everyone' })).toEqual({ status: 200, text: 'ok' });
    expect(fake.responses.map((r) => [r.responseType, r.text])).toEqual([['ephemeral', 'only you'], ['in_channel', 'everyone']]);
    expect(fake.messagesIn(ops.id).map((m) => m.text)).toEqual(['everyone']);
  });

  test('refuses a post with no text, a bad type, a sixth use, and an old URL', async () => {
    const ops = fake.addChannel({ name: 'ops' });
    const url = fake.responseUrl({ channelId: ops.id, userId: 'U0ALICE001' });
    expect(await respond(url, { response_type: 'ephemeral' })).toEqual({ status: 400, text: 'no_text' });
    expect(await respond(url, { response_type: 'everyone', text: 'x' })).toEqual({ status: 400, text: 'invalid_payload' });
    for (let i = 0; i < 5; i++) expect((await respond(url, { text: `${i}` })).status).toBe(200);
    expect(await respond(url, { text: 'sixth' })).toEqual({ status: 404, text: 'used_url' });
    const old = fake.responseUrl({ channelId: ops.id, userId: 'U0ALICE001' });
    clock.advance('31m');
    expect(await respond(old, { text: 'late' })).toEqual({ status: 404, text: 'expired_url' });
    expect(await respond(`${fake.url}/commands/T0FIREBELL/1/nope`, { text: 'x' })).toEqual({ status: 404, text: 'no_service' });
    expect(fake.invalidCalls.map((c) => c.error)).toEqual(['no_text', 'invalid_payload', 'used_url', 'expired_url', 'no_service']);
  });
});
