import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot, type TestBotOptions } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackCall, type FakeUser } from '../support/fake-slack/index.ts';
import { FakeWebhookReceiver } from '../support/fake-status/webhook-receiver.ts';
import { postToBolt, SlackSigner, stateValue, type SignatureFault } from '../support/slack-signing.ts';
import { freePort } from '../http/raw-http.ts';

const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';

/** A Slack workspace with firebell installed: the real Bolt app against the fake Web API. */
class SlackWorld {
  fake!: FakeSlack;
  bot!: TestBot;
  signer!: SlackSigner;
  eventsUrl = '';
  alice!: FakeUser;
  bob!: FakeUser;
  generalId = '';
  opsId = '';

  /** `more`: what else the bot is started with (a status page target). */
  async start(backend: (typeof backends)[number], more: Pick<TestBotOptions, 'statusDelivery'> & { env?: Record<string, string> } = {}): Promise<void> {
    // The fake stamps messages with the bot's clock, so a message's ts is a time on the incident's clock.
    this.fake = await startFakeSlack({ now: () => (this.bot ? this.bot.clock.now() : new Date('2026-03-02T00:00:00Z')) });
    const port = await freePort();
    this.bot = await startTestBot(backend, {
      env: {
        HTTP_PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SLACK_BOT_TOKEN: this.fake.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: this.fake.apiUrl,
        OPS_CHANNEL: '#ops',
        ...more.env,
      },
      ...(more.statusDelivery ? { statusDelivery: more.statusDelivery } : {}),
      slack: { retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 } },
    });
    this.eventsUrl = `http://127.0.0.1:${port}/slack/events`;
    // Bolt checks signatures against real time, so requests are signed at real time.
    this.signer = new SlackSigner({ signingSecret: SIGNING_SECRET, teamId: this.fake.team.id, botUserId: this.fake.bot.userId, botId: this.fake.bot.botId });
    this.alice = this.fake.addUser({ name: 'alice', displayName: 'Alice A' });
    this.bob = this.fake.addUser({ name: 'bob', displayName: 'Bob B' });
    this.generalId = this.fake.addChannel({ name: 'general', members: [this.alice.id, this.bob.id] }).id;
    this.opsId = this.fake.addChannel({ name: 'ops', members: [this.alice.id] }).id;
  }

  async stop(): Promise<void> {
    await this.bot?.stop();
    await this.fake?.stop();
  }

  /** Waits for everything a command set going: the executor, then the notices to every platform. */
  async settle(): Promise<void> {
    await this.bot.firebell.executor.idle();
    await this.bot.firebell.outbox.drain();
  }

  /** Types `/incident <text>` as Slack sends it; resolves with the HTTP answer and the reply posted to its response_url. */
  async command(text: string, user: FakeUser, channelId: string, fault?: SignatureFault) {
    const responseUrl = this.fake.responseUrl({ channelId, userId: user.id });
    const triggerId = this.fake.newTriggerId();
    const from = this.fake.calls.length;
    const req = this.signer.command('/incident', text, { user: { id: user.id, name: user.name }, channelId, channelName: this.fake.channel(channelId)?.name ?? 'x', responseUrl, triggerId }, fault);
    const answer = await postToBolt(this.eventsUrl, req);
    return { answer, triggerId, reply: () => this.nextCall('response_url', from) };
  }

  nextCall(method: string, from: number, match: (c: FakeSlackCall) => boolean = () => true): Promise<FakeSlackCall> {
    return this.fake.waitForCall(method, (c) => this.fake.calls.indexOf(c) >= from && match(c));
  }

  async react(type: 'reaction_added' | 'reaction_removed', user: FakeUser, channel: string, ts: string, opts: Parameters<SlackSigner['event']>[1] = {}) {
    const itemUser = this.fake.message(channel, ts)?.user ?? user.id;
    const req = this.signer.reaction(type, { user: user.id, reaction: 'pushpin', channel, ts, itemUser }, opts);
    const from = this.fake.calls.length;
    const answer = await postToBolt(this.eventsUrl, req);
    return { answer, eventId: req.eventId, told: () => this.nextCall('chat.postEphemeral', from) };
  }
}

const textOf = (c: FakeSlackCall) => String(c.args.text ?? '');

/** Every string Slack would read as mrkdwn in a call: the text, and mrkdwn text objects in blocks. */
function mrkdwnOf(args: Record<string, unknown>): string[] {
  const found: string[] = typeof args.text === 'string' ? [args.text] : [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') found.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(args.blocks);
  return found;
}

describe.each(backends)('Slack, on $name', (backend) => {
  const world = new SlackWorld();
  beforeAll(() => world.start(backend));
  afterAll(() => world.stop());
  beforeEach(async () => {
    await world.bot.reset();
  });

  test('a whole incident: /incident start to the uploaded postmortem, with reaction-captured messages at their own times', async () => {
    const { fake, alice, bob } = world;
    // An archived channel from long ago keeps the name the bot wants first.
    fake.addChannel({ name: 'inc-1-database-is-down' });

    world.bot.clock.set('2026-03-02T14:00:00Z');
    const started = await world.command('start Database is down --sev 2', alice, world.generalId);
    expect(started.answer.status).toBe(200);
    const opened = await started.reply();
    expect(opened.args).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(opened)).toContain('INC-1');
    await world.settle();

    const channel = fake.channelByName('inc-1-database-is-down-2')!;
    expect(channel).toBeDefined();
    expect([...channel.members]).toContain(alice.id);
    expect(channel.topic.value).toBe('INC-1 · SEV2 · investigating · Database is down');
    expect(channel.purpose.value).toContain('Database is down');
    const [summary] = fake.pinnedIn(channel.id);
    expect(summary?.blocks?.[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'INC-1: Database is down' } });
    const announced = fake.messagesIn(world.opsId).map((m) => m.text);
    expect(announced).toEqual([`📣 INC-1 opened by Alice A: Database is down (SEV2) → <#${channel.id}>`]);

    // People talk in the channel; the timeline emoji puts their words on the timeline at their own time.
    const rollback = fake.postAsUser(channel.id, alice.id, 'Rolled back &amp; watching &lt;dashboards&gt;', { at: new Date('2026-03-02T14:05:00Z') });
    const inThread = fake.postAsUser(channel.id, bob.id, 'Replica is 3 days behind', { at: new Date('2026-03-02T14:07:00Z'), threadTs: rollback.ts });
    world.bot.clock.set('2026-03-02T14:20:00Z');
    const pin = await world.react('reaction_added', bob, channel.id, rollback.ts);
    expect(pin.answer.status).toBe(200);
    expect(textOf(await pin.told())).toMatch(/^Logged \*#\d+\* on INC-1 at 2026-03-02 14:05 UTC$/);
    const threadPin = await world.react('reaction_added', alice, channel.id, inThread.ts);
    await threadPin.told();

    await world.command('status identified Replication lag', alice, channel.id).then((c) => c.reply());
    await world.command(`role commander <@${bob.id}>`, alice, channel.id).then((c) => c.reply());
    // Slack sends a mention typed as @bob as <@U…|bob>; the person is kept by id, shown by display name.
    await world.command(`followup Alert on replica lag --owner <@${bob.id}|bob>`, alice, channel.id).then((c) => c.reply());
    expect((await world.bot.record(1)).followups.map((f) => [f.text, f.owner, f.ownerId])).toEqual([['Alert on replica lag', 'Bob B', `slack:${bob.id}`]]);
    await world.settle();
    expect(channel.topic.value).toBe('INC-1 · SEV2 · identified · commander Bob B · Database is down');
    const updated = fake.message(channel.id, summary!.ts)!;
    expect(JSON.stringify(updated.blocks)).toContain(`*Commander*\\n<@${bob.id}>`);
    expect(JSON.stringify(updated.blocks)).toContain('*Status*\\nidentified');

    await world.command('close', alice, channel.id).then((c) => c.reply());
    await world.settle();
    const upload = fake.callsTo('files.completeUploadExternal').at(-1)!;
    expect(upload.ok).toBe(true);
    const fileId = (upload.args.files as { id: string }[])[0]!.id;
    const draft = fake.file(fileId)!.content!.toString('utf8');
    // Slack's entities are read back to the words typed; the draft escapes them for markdown again.
    expect((await world.bot.record(1)).entries.map((e) => e.text)).toContain('Rolled back & watching <dashboards>');
    expect(draft).toContain('| 14:05 | note | Rolled back &amp; watching &lt;dashboards&gt; | Alice A (added by Bob B) |');
    expect(draft).toMatch(/14:05.*Rolled back.*Alice A/);
    expect(draft).toMatch(/14:07.*Replica is 3 days behind.*Bob B/);
    const shared = fake.messagesIn(channel.id).find((m) => m.subtype === 'file_share')!;
    expect(shared.text).toMatch(/^Postmortem draft for INC-1: <http:\/\/127\.0\.0\.1:\d+\/postmortems\/INC-1\.md\?token=[^|]+\|INC-1\.md>$/);

    expect(fake.invalidCalls).toEqual([]);
  });

  test('a retried event and a second pin of the same message record it once', async () => {
    const { fake, alice, bob } = world;
    await world.command('start Checkout failing', alice, world.generalId).then((c) => c.reply());
    await world.settle();
    const channel = fake.channelByName('inc-1-checkout-failing')!;
    const m = fake.postAsUser(channel.id, alice.id, 'Payments 500ing');
    const first = await world.react('reaction_added', bob, channel.id, m.ts);
    await first.told();
    // Slack retries when it thinks the first delivery timed out: same envelope, same event_id.
    const retry = await world.react('reaction_added', bob, channel.id, m.ts, { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.answer.status).toBe(200);
    await retry.told();
    const second = await world.react('reaction_added', alice, channel.id, m.ts);
    await second.told();
    await world.settle();
    const entries = (await world.bot.record(1)).entries.filter((e) => e.text === 'Payments 500ing');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ author: 'Alice A', addedBy: 'Bob B' });
  });

  test('removing the timeline emoji takes the entry off the timeline, audited', async () => {
    const { fake, alice, bob } = world;
    await world.command('start Search slow', alice, world.generalId).then((c) => c.reply());
    await world.settle();
    const channel = fake.channelByName('inc-1-search-slow')!;
    const m = fake.postAsUser(channel.id, alice.id, 'Probably the cache');
    await (await world.react('reaction_added', bob, channel.id, m.ts)).told();
    const removed = await world.react('reaction_removed', bob, channel.id, m.ts);
    expect(textOf(await removed.told())).toMatch(/taken off INC-1's timeline \(it was: Probably the cache\)/);
    await world.settle();
    const record = await world.bot.record(1);
    const entry = record.entries.find((e) => e.text === 'Probably the cache')!;
    expect(entry.deletedAt).not.toBeNull();
    expect(entry.deletedBy).toBe('Bob B');
  });

  test('a reaction outside an incident channel, or with another emoji, records nothing', async () => {
    const { fake, alice, bob } = world;
    await world.command('start Queue stuck', alice, world.generalId).then((c) => c.reply());
    await world.settle();
    const m = fake.postAsUser(world.generalId, alice.id, 'lunch?');
    const from = fake.calls.length;
    const answer = await postToBolt(world.eventsUrl, world.signer.reaction('reaction_added', { user: bob.id, reaction: 'pushpin', channel: world.generalId, ts: m.ts, itemUser: alice.id }));
    expect(answer.status).toBe(200);
    const channel = fake.channelByName('inc-1-queue-stuck')!;
    const other = fake.postAsUser(channel.id, alice.id, 'not this one');
    await postToBolt(world.eventsUrl, world.signer.reaction('reaction_added', { user: bob.id, reaction: 'tada', channel: channel.id, ts: other.ts, itemUser: alice.id }));
    // A command after them goes through the same path, so they have been handled by the time it answers.
    await world.command('show', alice, channel.id).then((c) => c.reply());
    await world.settle();
    expect((await world.bot.record(1)).entries.map((e) => e.text)).not.toContain('lunch?');
    expect((await world.bot.record(1)).entries.map((e) => e.text)).not.toContain('not this one');
    expect(fake.calls.slice(from).filter((c) => c.method === 'chat.postEphemeral')).toEqual([]);
  });

  test('an incident opened elsewhere (the terminal, IRC) gets a Slack channel and is announced', async () => {
    const { fake } = world;
    expect(await world.bot.say('start Opened from the terminal', { platform: 'shell', as: 'root' })).toMatch(/^INC-1 opened/);
    await world.settle();
    const channel = fake.channelByName('inc-1-opened-from-the-terminal')!;
    expect(channel).toBeDefined();
    // No one on Slack started it, so no one is invited; the bot is there with its summary.
    expect([...channel.members]).toEqual([fake.bot.userId]);
    expect(fake.pinnedIn(channel.id)).toHaveLength(1);
    expect(fake.messagesIn(world.opsId).at(-1)!.text).toBe(`📣 INC-1 opened by root: Opened from the terminal (SEV3) → <#${channel.id}>`);
    // A command typed in that channel applies to that incident.
    const logged = await world.command('log Paged the DBA', world.alice, channel.id).then((c) => c.reply());
    expect(textOf(logged)).toMatch(/^Logged \*#2\* on INC-1/);
  });

  test('an OPS_CHANNEL Slack cannot find (channel_not_found) does not stop the incident channel', async () => {
    const { fake, alice } = world;
    const ops = fake.channel(world.opsId)!;
    ops.name = 'ops-renamed';
    try {
      await world.command('start Ops channel gone', alice, world.generalId).then((c) => c.reply());
      await world.settle();
    } finally {
      ops.name = 'ops';
    }
    expect(fake.callsTo('chat.postMessage').at(-1)).toMatchObject({ args: { channel: '#ops' }, ok: false, error: 'channel_not_found' });
    const channel = fake.channelByName('inc-1-ops-channel-gone')!;
    expect(fake.pinnedIn(channel.id)).toHaveLength(1);
    expect([...channel.members]).toContain(alice.id);
  });

  test('a deleted summary is posted and pinned again on the next change', async () => {
    const { fake, alice } = world;
    await world.command('start Summary deleted', alice, world.generalId).then((c) => c.reply());
    await world.settle();
    const channel = fake.channelByName('inc-1-summary-deleted')!;
    fake.failNext('chat.update', 'message_not_found');
    await world.command('sev 1', alice, channel.id).then((c) => c.reply());
    await world.settle();
    const pinned = fake.pinnedIn(channel.id);
    expect(pinned).toHaveLength(2);
    expect(JSON.stringify(pinned[1]!.blocks)).toContain('*Severity*\\nSEV1');
    // The next change edits the new one.
    await world.command('status monitoring Fix deployed', alice, channel.id).then((c) => c.reply());
    await world.settle();
    expect(fake.callsTo('chat.update').at(-1)).toMatchObject({ ok: true, args: { ts: pinned[1]!.ts } });
    expect(JSON.stringify(fake.message(channel.id, pinned[1]!.ts)!.blocks)).toContain('*Status*\\nmonitoring');
  });

  test("a body too big is refused (413) and one that is not Slack's shape (400), without a crash", async () => {
    const big = world.signer.sign(`text=${'x'.repeat(600 * 1024)}`, 'application/x-www-form-urlencoded');
    expect((await postToBolt(world.eventsUrl, big)).status).toBe(413);
    const garbage = world.signer.sign('{not json', 'application/json');
    expect((await postToBolt(world.eventsUrl, garbage)).status).toBe(400);
    const unknown = world.signer.event({ type: 'app_home_opened', user: world.alice.id });
    expect((await postToBolt(world.eventsUrl, unknown)).status).toBe(200);
    expect((await fetch(world.eventsUrl.replace('/slack/events', '/healthz'))).status).toBe(200);
  });

  test.each<SignatureFault>(['bad', 'missing', 'stale'])('a request with a %s signature is refused with 401 and records nothing', async (fault) => {
    const { alice } = world;
    const from = world.fake.calls.length;
    const c = await world.command('start Should not exist', alice, world.generalId, fault);
    expect(c.answer.status).toBe(401);
    const event = world.signer.reaction('reaction_added', { user: alice.id, reaction: 'pushpin', channel: world.generalId, ts: '1772409600.000100', itemUser: alice.id }, {}, fault);
    expect((await postToBolt(world.eventsUrl, event)).status).toBe(401);
    await world.settle();
    expect(await world.bot.say('list')).toBe('No incident is open.');
    expect(world.fake.calls.slice(from).filter((call) => call.method === 'response_url')).toEqual([]);
  });

  test('a title with <!channel> notifies nobody: it is escaped wherever it is rendered as mrkdwn', async () => {
    const { fake, alice } = world;
    // Typed as text, Slack sends the characters as entities; typed as a mention, as markup.
    await world.command('start &lt;!channel&gt; lol &amp; <!channel> &lt;@U0FIREBELL&gt;', alice, world.generalId).then((c) => c.reply());
    await world.settle();
    const said = fake.calls.filter((c) => ['chat.postMessage', 'chat.update', 'response_url'].includes(c.method)).flatMap((c) => mrkdwnOf(c.args));
    expect(said.length).toBeGreaterThan(4);
    for (const t of said) {
      expect(t).not.toContain('<!channel>');
      expect(t).not.toContain('<@U0FIREBELL');
    }
    expect(fake.messagesIn(world.opsId).at(-1)!.text).toContain('&lt;!channel&gt; lol &amp; @channel &lt;@U0FIREBELL&gt;');
    expect((await world.bot.record(1)).incident.title).toBe('<!channel> lol & @channel <@U0FIREBELL>');
  });

  test('/incident start with no title opens a modal; submitting it starts the incident', async () => {
    const { fake, alice } = world;
    const c = await world.command('start', alice, world.generalId);
    expect(c.answer.status).toBe(200);
    const opened = await world.nextCall('views.open', 0, (call) => call.args.trigger_id === c.triggerId);
    expect(opened.ok).toBe(true);
    const view = fake.views.find((v) => v.triggerId === c.triggerId)!;

    const empty = world.signer.viewSubmission({ id: view.id, view: view.view, values: { title: { value: stateValue.plainText(' ') }, severity: { value: stateValue.staticSelect('2') }, description: { value: stateValue.plainText(null) } }, user: { id: alice.id, name: alice.name } });
    const refused = await postToBolt(world.eventsUrl, empty);
    expect(JSON.parse(refused.body)).toEqual({ response_action: 'errors', errors: { title: 'Give the incident a title.' } });

    const from = fake.calls.length;
    const filled = world.signer.viewSubmission({
      id: view.id,
      view: view.view,
      values: { title: { value: stateValue.plainText('Disk full --sev 1') }, severity: { value: stateValue.staticSelect('2') }, description: { value: stateValue.plainText('14:05 the volume filled') } },
      user: { id: alice.id, name: alice.name },
    });
    expect((await postToBolt(world.eventsUrl, filled)).status).toBe(200);
    const reply = await world.nextCall('response_url', from);
    expect(textOf(reply)).toContain('INC-1');
    await world.settle();
    const record = await world.bot.record(1);
    expect(record.incident).toMatchObject({ title: 'Disk full --sev 1', severity: 2 });
    expect(record.entries.map((e) => e.text)).toContain('Description: 14:05 the volume filled');
  });

  test('bad input gets a short ephemeral error to the typer and changes nothing', async () => {
    const { alice } = world;
    const c = await world.command('sev 9', alice, world.generalId);
    const reply = await c.reply();
    expect(reply.args).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(reply)).toMatch(/^✗ /);
    expect(await world.bot.say('list')).toBe('No incident is open.');
  });

  test('rate limited (429 + Retry-After) while making the channel: it waits and makes it once', async () => {
    const { fake, alice } = world;
    fake.rateLimitNext('conversations.create', 1);
    const t0 = Date.now();
    await world.command('start Rate limited', alice, world.generalId).then((c) => c.reply());
    await world.settle();
    // Retry-After: 1 was waited out before the second try.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    const creates = fake.callsTo('conversations.create').filter((c) => String(c.args.name).startsWith('inc-1-rate'));
    expect(creates.map((c) => c.status)).toEqual([429, 200]);
    expect(fake.channelByName('inc-1-rate-limited')).toBeDefined();
  });
});

// Its own workspace: it moves the bot's clock by half an hour, which the tests above do not expect.
describe.each(backends)('Slack nags, on $name', (backend) => {
  const world = new SlackWorld();
  beforeAll(() => world.start(backend));
  afterAll(() => world.stop());

  test('nags reach Slack: a warning in the ops channel, a status reminder in the incident channel', async () => {
    const { fake } = world;
    world.bot.clock.set('2026-03-02T10:00:00Z');
    await world.bot.firebell.scheduler.tick();
    expect(await world.bot.say('warn Replica lag above 30s --key lag', { platform: 'shell', as: 'root' })).toBe('W-1 recorded: Replica lag above 30s');
    expect(await world.bot.say('start Checkout down --sev 1', { platform: 'shell', as: 'root' })).toMatch(/^INC-1 opened/);
    await world.settle();
    await world.bot.advance('30m');
    await world.settle();
    expect(fake.messagesIn(world.opsId).map((m) => m.text)).toContain(
      '⏰ W-1 still unacked, nag 1 (fired once): Replica lag above 30s · ack W-1 or snooze W-1 &lt;duration&gt;',
    );
    const channel = fake.channelByName('inc-1-checkout-down')!;
    expect(fake.messagesIn(channel.id).at(-1)!.text).toBe(
      '⏰ INC-1 [SEV1] investigating: Checkout down: no public status update for 30m; post one with status &lt;state&gt; &lt;message&gt;',
    );
  });
});

// Its own workspace and clock, with a status page webhook that is down throughout.
describe.each(backends)('Slack hears of a journaled command set aside, on $name', (backend) => {
  const world = new SlackWorld();
  beforeAll(() => world.start(backend));
  afterAll(() => world.stop());

  test('the ops channel is told what was set aside, by whom, and where it is kept', async () => {
    const { fake, bot } = world;
    // What the executor reports when a journaled command no longer parses at replay.
    await bot.firebell.work.run(async (w) => {
      w.notify({
        kind: 'command_set_aside',
        verb: 'log',
        text: 'INC-1 <!channel> 25:99 checkout `down`',
        actor: { platform: 'slack', id: world.alice.id, name: 'alice' },
        receivedAt: new Date('2026-03-02T10:00:00Z'),
        reason: 'bad time "25:99"',
        file: '/srv/firebell/journal/dead.jsonl',
      });
    });
    await world.settle();
    const told = fake.messagesIn(world.opsId).map((m) => m.text);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('⚠ A command from the journal could not be run and was set aside in /srv/firebell/journal/dead.jsonl');
    expect(told[0]).toContain('&lt;!channel&gt;');
    expect(told[0]).not.toContain('<!channel>');
  });
});

describe.each(backends)('Slack hears of stuck and dead status deliveries, on $name', (backend) => {
  const world = new SlackWorld();
  const hook = new FakeWebhookReceiver();
  beforeAll(async () => {
    await hook.start();
    hook.down();
    // Attempts at 0 s, 30 s, 1 m 30 s, 3 m 30 s and 7 m 30 s: dead after the fifth.
    await world.start(backend, {
      env: hook.settings,
      statusDelivery: { random: () => 0, retry: { maxAttempts: 5 } },
    });
  });
  afterAll(async () => {
    await world.stop();
    await hook.stop();
  });

  test('a delivery pending 5 min is told in the ops channel once, and again when it is dead', async () => {
    const { fake, bot } = world;
    bot.clock.set('2026-03-02T10:00:00Z');
    expect(await bot.say('start Checkout <!here> down', { platform: 'shell', as: 'root' })).toMatch(/^INC-1 opened/);
    await bot.say('status investigating Payments fail', { platform: 'shell', as: 'root' });
    for (let second = 0; second < 10 * 60; second += 30) {
      await bot.firebell.statusDeliveries.drain();
      await bot.advance('30s');
    }
    await world.settle();
    const told = fake.messagesIn(world.opsId).map((m) => m.text).filter((t) => t.includes('update of INC-1'));
    expect(told).toHaveLength(2);
    expect(told[0]).toMatch(
      /^⏳ The investigating update of INC-1 \(Checkout &lt;!here&gt; down\) has waited 5m for webhook, tried 4 times \(last error: POST http:\/\/127\.0\.0\.1:\d+\/hooks\/status answered 503: down for maintenance\); `deliveries` lists it$/,
    );
    expect(told[1]).toMatch(/^⚠ The investigating update of INC-1 could not be delivered to webhook after 5 attempts/);
  });
});
