import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot, type TestBotOptions } from '../support/bot.ts';
import { IrcAdapter } from '../../src/chat/irc/irc-adapter.ts';
import { backends, silentLog } from '../support/databases.ts';
import { freePort } from '../support/free-port.ts';
import { RawIrcClient, type IrcLine } from '../support/irc-client.ts';
import { Ngircd } from '../support/ngircd.ts';
import { ShellSession } from '../support/shell-session.ts';

const BOT = 'firebell';

const fromBot = (l: IrcLine) => l.nick === BOT;
const saidBy = (command: string, target: string) => (l: IrcLine) => fromBot(l) && l.command === command && l.params[0]?.toLowerCase() === target.toLowerCase();

describe.each(backends)('IRC on a real ngircd ($name)', (backend) => {
  let server: Ngircd;
  let bot: TestBot | null = null;
  const clients: RawIrcClient[] = [];

  beforeAll(async () => {
    server = await Ngircd.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await bot?.stop();
    bot = null;
  });

  async function user(nick: string, channels: string[] = ['#ops']): Promise<RawIrcClient> {
    const client = await RawIrcClient.connect(server.port, nick);
    clients.push(client);
    for (const channel of channels) await client.join(channel);
    return client;
  }

  /** The bot, configured for this server; resolves once it has joined #ops in `watcher`'s sight. */
  async function startBot(watcher: RawIrcClient, env: Record<string, string> = {}, opts: TestBotOptions = {}, nick = BOT): Promise<TestBot> {
    bot = await startTestBotFor(env, opts);
    await watcher.waitFor((l) => l.nick === nick && l.command === 'JOIN' && l.params[0] === '#ops', { what: 'the bot joining #ops' });
    return bot;
  }

  function startTestBotFor(env: Record<string, string> = {}, opts: TestBotOptions = {}): Promise<TestBot> {
    return startTestBot(backend, {
      ...opts,
      env: { IRC_HOST: server.host, IRC_PORT: String(server.port), IRC_CHANNELS: '#ops', OPS_CHANNEL: '#ops', ...env },
      // Paced faster than on a real network (the send queue's own tests cover the pacing).
      irc: { reconnectDelaysMs: [100], intervalMs: 50, ...opts.irc },
    });
  }

  test('a whole incident runs on IRC, from !incident start to the postmortem, every entry with its author', async () => {
    const dana = await user('dana');
    const b = await startBot(dana);

    dana.privmsg('#ops', '!incident start Checkout is failing --sev 2');
    expect((await dana.waitFor(saidBy('PRIVMSG', '#ops'), { what: 'the start reply' })).params[1]).toMatch(/^\x02INC-1\x02 opened: Checkout is failing · SEV2/);
    const invite = await dana.waitFor((l) => fromBot(l) && l.command === 'INVITE', { what: 'an invitation' });
    expect(invite.params).toEqual(['dana', '#inc-1-checkout-is-failing']);
    const announced = await dana.waitFor(saidBy('PRIVMSG', '#ops'), { what: 'the announcement' });
    expect(announced.params[1]).toBe('📣 INC-1 opened by dana: Checkout is failing (SEV2) → #inc-1-checkout-is-failing');

    const channel = '#inc-1-checkout-is-failing';
    dana.send(`JOIN ${channel}`);
    const topic = await dana.waitFor((l) => l.command === '332' && l.params[1] === channel, { what: 'the topic on join' });
    expect(topic.params[2]).toBe('INC-1 [SEV2] investigating | Checkout is failing | commander: none');
    const names = await dana.waitFor((l) => l.command === '353' && l.params[2] === channel, { what: 'the names' });
    expect(names.params[3]!.split(' ')).toContain('@firebell');

    dana.privmsg(channel, '!log Restarted the primary');
    expect((await dana.waitFor(saidBy('PRIVMSG', channel))).params[1]).toMatch(/^Logged .*INC-1/);

    dana.privmsg(channel, '!sev 1');
    expect((await dana.waitFor(saidBy('TOPIC', channel))).params[1]).toBe('INC-1 [SEV1] investigating | Checkout is failing | commander: none');

    dana.privmsg(channel, '!role commander dana');
    expect((await dana.waitFor(saidBy('TOPIC', channel))).params[1]).toBe('INC-1 [SEV1] investigating | Checkout is failing | commander: dana');

    dana.privmsg(channel, 'firebell: status identified A bad deploy of the cart service');
    expect((await dana.waitFor(saidBy('TOPIC', channel))).params[1]).toBe('INC-1 [SEV1] identified | Checkout is failing | commander: dana');

    // Another bot's command in the short form is not ours: no answer, nothing recorded.
    dana.privmsg(channel, '!seen bob');
    dana.privmsg(channel, '!inc nonsense');
    expect((await dana.waitFor((l) => saidBy('PRIVMSG', channel)(l) && l.params[1]!.startsWith('✗'))).params[1]).toBe('✗ unknown command "nonsense": try `help`');
    expect(dana.lines.filter((l) => fromBot(l) && /seen/.test(l.params[1] ?? ''))).toEqual([]);

    dana.privmsg(channel, '!close');
    const closing = await dana.waitFor((l) => saidBy('PRIVMSG', channel)(l) && /Postmortem draft:/.test(l.params[1]!), { what: 'the postmortem path' });
    expect(closing.params[1]).toMatch(/^Postmortem draft: .*INC-1\.md$/);
    // The topic and the reply travel separately (notices go through the outbox): either may come first.
    const isClosedTopic = (l: IrcLine) => saidBy('TOPIC', channel)(l) && l.params[1]!.includes('closed');
    const closedTopic = dana.lines.find(isClosedTopic) ?? (await dana.waitFor(isClosedTopic, { what: 'the closed topic' }));
    expect(closedTopic.params[1]).toBe('INC-1 [SEV1] closed | Checkout is failing | commander: dana');

    const record = await b.record(1);
    expect(record.entries.filter((e) => e.sourcePlatform === 'irc').map((e) => [e.author, e.text])).toEqual(
      expect.arrayContaining([['dana', 'Restarted the primary']]),
    );
    const draft = await b.draft(1);
    expect(draft).toContain('Restarted the primary');
    expect(draft).toContain('dana');
  });

  test('a warning typed on IRC is nagged in #ops, and !ack stops it', async () => {
    const dana = await user('dana');
    const b = await startBot(dana);
    b.clock.set('2026-03-02T10:00:00Z');
    await b.firebell.scheduler.tick();
    dana.privmsg('#ops', '!inc warn Replica lag above 30s --key lag');
    expect((await dana.waitFor((l) => saidBy('PRIVMSG', '#ops')(l) && /recorded/.test(l.params[1]!))).params[1]).toContain('W-1');
    await b.advance('15m');
    const nag = await dana.waitFor((l) => saidBy('PRIVMSG', '#ops')(l) && /nag 1/.test(l.params[1]!), { what: 'the first nag' });
    expect(nag.params[1]).toBe('⏰ W-1 still unacked, nag 1 (fired once): Replica lag above 30s · ack W-1 or snooze W-1 <duration>');
    dana.privmsg('#ops', '!inc ack W-1 looking');
    expect((await dana.waitFor((l) => saidBy('PRIVMSG', '#ops')(l) && /acked/.test(l.params[1]!))).params[1]).toMatch(/W-1\W* acked by dana; no more nags about it \(looking\)$/);
    await b.advance('4h');
    // Acked: no second nag was sent, nor said.
    expect(await b.say('warnings')).toContain('nagged 1× · owner none · acked by dana');
    expect(dana.lines.filter((l) => saidBy('PRIVMSG', '#ops')(l) && /nag 2/.test(l.params[1] ?? ''))).toEqual([]);
  });

  test('a sender outside IRC_ALLOW is refused politely and nothing is recorded; reading stays open', async () => {
    const dana = await user('dana');
    const mallory = await user('mallory');
    const b = await startBot(dana, { IRC_ALLOW: 'dana!*@*' });

    mallory.privmsg('#ops', '!inc start Something I made up');
    const refusal = await mallory.waitFor(saidBy('PRIVMSG', '#ops'), { what: 'the refusal' });
    expect(refusal.params[1]).toMatch(/^mallory: sorry, you are not on this bot's allow-list/);
    mallory.privmsg('#ops', '!inc list');
    expect((await mallory.waitFor(saidBy('PRIVMSG', '#ops'))).params[1]).toBe('No incident is open.');

    dana.privmsg('#ops', '!inc start Real trouble');
    expect((await dana.waitFor((l) => saidBy('PRIVMSG', '#ops')(l) && /opened:/.test(l.params[1]!))).params[1]).toContain('Real trouble');
    expect((await b.record(1)).incident.title).toBe('Real trouble');
    expect(await b.say('list')).not.toContain('made up');
  });

  test('a 1,200-byte line of a long reply reaches the asker as notices within 512 bytes, cut on character boundaries', async () => {
    const dana = await user('dana');
    const b = await startBot(dana);
    dana.privmsg('#ops', '!inc start Slow pages');
    await dana.waitFor((l) => saidBy('PRIVMSG', '#ops')(l) && /opened by/.test(l.params[1]!), { what: 'the announcement' });
    // Longer than any line one IRC user can send: typed elsewhere (Slack), shown on IRC.
    const message = 'Grüße aus Köln — €uro 🚒 '.repeat(48).trim();
    expect(Buffer.byteLength(message)).toBeGreaterThan(1_200);
    await b.say(`status identified ${message}`, { platform: 'test' });

    dana.privmsg('#ops', '!inc show INC-1');
    const first = await dana.waitFor((l) => saidBy('NOTICE', 'dana')(l) && l.params[1]!.startsWith('Last public update'), { what: 'the status line' });
    const wanted = `Last public update (identified, 2026-03-02 00:00): ${message}`;
    const lines = [first];
    let text = first.params[1]!;
    while (text.length < wanted.length) {
      const next = await dana.waitFor(saidBy('NOTICE', 'dana'), { what: 'the rest of the line' });
      lines.push(next);
      text += next.params[1]!;
    }
    expect(text).toBe(wanted);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) {
      expect(Buffer.byteLength(`${l.raw}\r\n`)).toBeLessThanOrEqual(512);
      expect(l.raw).not.toContain('\uFFFD');
    }
    expect(dana.lines.filter((l) => saidBy('PRIVMSG', '#ops')(l) && /Last public update/.test(l.params[1]!))).toEqual([]);
  });

  test('a title with \\r\\nQUIT :x from the shell or another platform reaches IRC as one line and the bot stays', async () => {
    const dana = await user('dana');
    const terminal = new ShellSession();
    const b = await startBot(dana, { FIREBELL_SHELL: '1' }, { shell: terminal });

    // The shell ends a line at LF only: the CR stays in the title, as a line break.
    terminal.input.write('start Disk full\rQUIT :x\n');
    const announced = await dana.waitFor(saidBy('PRIVMSG', '#ops'), { what: 'the announcement' });
    expect(announced.params[1]).toBe('📣 INC-1 opened by dana: Disk full QUIT :x (SEV3) → #inc-1-disk-full-quit-x');
    expect((await b.record(1)).incident.title).toBe('Disk full\nQUIT :x');

    await b.say('start Printer on fire\r\nQUIT :x', { platform: 'test' });
    expect((await dana.waitFor(saidBy('PRIVMSG', '#ops'), { what: 'the second announcement' })).params[1]).toBe(
      '📣 INC-2 opened by dana: Printer on fire QUIT :x (SEV3) → #inc-2-printer-on-fire-quit-x',
    );
    dana.send('JOIN #inc-2-printer-on-fire-quit-x');
    // The topic comes with the join, or just after it when dana was quicker than the bot.
    const topic = await dana.waitFor((l) => l.command === '332' || saidBy('TOPIC', '#inc-2-printer-on-fire-quit-x')(l), { what: 'the topic' });
    expect(topic.params.at(-1)).toBe('INC-2 [SEV3] investigating | Printer on fire QUIT :x | commander: none');

    dana.privmsg('#ops', '!inc list');
    const listed = await dana.waitFor(saidBy('PRIVMSG', '#ops'), { what: 'the list' });
    expect(listed.params[1]).toContain('Disk full QUIT :x');
    expect(dana.lines.filter((l) => fromBot(l) && !['PRIVMSG', 'JOIN', 'NOTICE', 'INVITE', 'TOPIC', 'MODE'].includes(l.command))).toEqual([]);
  });

  test('the server restarts mid-incident: the bot reconnects, rejoins the incident channel and records the next !log', async () => {
    const dana = await user('dana');
    const b = await startBot(dana);
    dana.privmsg('#ops', '!inc start Queue stuck');
    await dana.waitFor((l) => fromBot(l) && l.command === 'INVITE', { what: 'an invitation' });
    const channel = '#inc-1-queue-stuck';

    clients.splice(0).forEach((c) => c.destroy());
    await server.restart();
    const back = await user('dana', []);
    back.send(`JOIN ${channel}`);
    // The bot may be back before dana or after her: either its JOIN or its nick in the names.
    await back.waitFor(
      (l) => (fromBot(l) && l.command === 'JOIN' && l.params[0] === channel) || (l.command === '353' && l.params[2] === channel && /(^|\s)[@+]?firebell(\s|$)/.test(l.params[3]!)),
      { what: 'the bot back in the incident channel' },
    );
    back.privmsg(channel, '!log Drained the queue by hand');
    expect((await back.waitFor(saidBy('PRIVMSG', channel), { what: 'the log reply' })).params[1]).toMatch(/^Logged .*INC-1/);
    expect((await b.record(1)).entries.map((e) => e.text)).toContain('Drained the queue by hand');
  });

  test('the IRC server is down when the bot starts: it keeps trying and joins once the server is up', async () => {
    await server.halt();
    try {
      bot = await startTestBotFor();
    } finally {
      await server.launch();
    }
    const dana = await user('dana');
    await dana.waitFor((l) => (fromBot(l) && l.command === 'JOIN' && l.params[0] === '#ops') || (l.command === '353' && /(^|\s)@?firebell(\s|$)/.test(l.params[3]!)), {
      what: 'the bot in #ops',
    });
    dana.privmsg('#ops', '!inc list');
    expect((await dana.waitFor(saidBy('PRIVMSG', '#ops'))).params[1]).toBe('No incident is open.');
  });

  test('its nick is taken: it answers as firebell_ and takes its nick back when the holder leaves', async () => {
    const squatter = await user(BOT);
    const dana = await user('dana');
    await startBot(dana, {}, {}, `${BOT}_`);
    dana.privmsg('#ops', 'firebell_: list');
    expect((await dana.waitFor((l) => l.nick === `${BOT}_` && l.command === 'PRIVMSG')).params[1]).toBe('No incident is open.');
    await squatter.quit();
    const renamed = await dana.waitFor((l) => l.nick === `${BOT}_` && l.command === 'NICK', { what: 'the nick reclaimed' });
    expect(renamed.params[0]).toBe(BOT);
    dana.privmsg('#ops', '!inc list');
    expect((await dana.waitFor(saidBy('PRIVMSG', '#ops'))).params[1]).toBe('No incident is open.');
  });

  test('its nick is held by someone it shares no channel with: it asks for it back on a timer', async () => {
    const squatter = await user(BOT, []);
    const dana = await user('dana');
    await startBot(dana, {}, { irc: { reclaimNickMs: 200 } }, `${BOT}_`);
    await squatter.quit();
    const renamed = await dana.waitFor((l) => l.nick === `${BOT}_` && l.command === 'NICK', { what: 'the nick reclaimed' });
    expect(renamed.params[0]).toBe(BOT);
  });

  test('stopped, it says QUIT with a reason; started again, it rejoins the open incidents\' channels from the database', async () => {
    const database = await backend.create();
    try {
      const dana = await user('dana');
      const first = await startBot(dana, {}, { database });
      dana.privmsg('#ops', '!inc start Cache cold');
      await dana.waitFor((l) => fromBot(l) && l.command === 'INVITE', { what: 'an invitation' });
      await dana.join('#inc-1-cache-cold');
      await first.stop();
      bot = null;
      const quit = await dana.waitFor((l) => fromBot(l) && l.command === 'QUIT', { what: 'the QUIT' });
      expect(quit.params[0]).toContain('firebell is stopping');

      await startBot(dana, {}, { database });
      await dana.waitFor((l) => fromBot(l) && l.command === 'JOIN' && l.params[0] === '#inc-1-cache-cold', { what: 'the bot back in the incident channel' });
      dana.privmsg('#inc-1-cache-cold', '!log Warmed it by hand');
      expect((await dana.waitFor(saidBy('PRIVMSG', '#inc-1-cache-cold'))).params[1]).toMatch(/^Logged .*INC-1/);
    } finally {
      await bot?.stop();
      bot = null;
      await database.drop();
    }
  });

  test('close answers with the postmortem link, which serves the draft with every entry typed on IRC and its author', async () => {
    const httpPort = await freePort();
    const dana = await user('dana');
    await startBot(dana, { HTTP_PORT: String(httpPort), PUBLIC_URL: `http://127.0.0.1:${httpPort}` });
    dana.privmsg('#ops', '!inc start Login fails --sev 1');
    await dana.waitFor((l) => fromBot(l) && l.command === 'INVITE', { what: 'the invitation' });
    const channel = '#inc-1-login-fails';
    await dana.join(channel);
    dana.privmsg(channel, '!action Rolled back the auth service');
    await dana.waitFor((l) => saidBy('PRIVMSG', channel)(l) && /^Logged/.test(l.params[1]!));
    dana.privmsg(channel, '!close');
    const closing = await dana.waitFor((l) => saidBy('PRIVMSG', channel)(l) && /Postmortem draft:/.test(l.params[1]!), { what: 'the link' });
    const link = /^Postmortem draft: (http:\/\/\S+)$/.exec(closing.params[1]!)?.[1];
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${httpPort}/postmortems/INC-1\\.md\\?token=`));
    const res = await fetch(link!);
    expect(res.status).toBe(200);
    const draft = await res.text();
    expect(draft).toContain('Rolled back the auth service');
    expect(draft).toMatch(/dana/);
  });

  test('private messages to the bot work without a prefix, and the answer comes back privately', async () => {
    const dana = await user('dana');
    await startBot(dana);
    dana.privmsg(BOT, 'start Billing is slow');
    const answer = await dana.waitFor(saidBy('PRIVMSG', 'dana'), { what: 'the private answer' });
    expect(answer.params[1]).toMatch(/^\x02INC-1\x02 opened: Billing is slow/);
    dana.privmsg(BOT, '!list');
    expect((await dana.waitFor(saidBy('PRIVMSG', 'dana'))).params[1]).toMatch(/INC-1.*Billing is slow/);
  });

  test('a bare !incident answers with one usage line; help, being long, comes to the asker as notices', async () => {
    const dana = await user('dana');
    await startBot(dana);
    dana.privmsg('#ops', '!incident');
    expect((await dana.waitFor(saidBy('PRIVMSG', '#ops'))).params[1]).toMatch(/^Usage: <verb> \[arguments\]/);
    dana.privmsg('#ops', '!inc help');
    const first = await dana.waitFor(saidBy('NOTICE', 'dana'), { what: 'the help' });
    const rest = [];
    for (let i = 0; i < 3; i++) rest.push(await dana.waitFor(saidBy('NOTICE', 'dana'), { what: 'more help' }));
    expect([first, ...rest].map((l) => l.params[1]).join('\n')).toMatch(/start/);
    expect(dana.lines.filter((l) => saidBy('PRIVMSG', '#ops')(l))).toHaveLength(1);
  });
});

describe('the IRC adapter stopped and started again (as an operator lease would)', () => {
  let server: Ngircd;
  let bot: TestBot | null = null;

  beforeAll(async () => {
    server = await Ngircd.start();
  });
  afterAll(async () => {
    await bot?.stop();
    await server.stop();
  });

  test('stop() leaves with QUIT and stays away; start() comes back into #ops and the open incidents\' channels', async () => {
    const dana = await RawIrcClient.connect(server.port, 'dana');
    await dana.join('#ops');
    let adapter: IrcAdapter | null = null;
    bot = await startTestBot(backends[0]!, {
      adapters: ({ router, channels }) => {
        adapter = new IrcAdapter({
          server: { host: server.host, port: server.port, tls: false, nick: BOT, sasl: null },
          channels: [],
          opsChannel: '#ops',
          allow: null,
          router,
          directory: channels,
          clock: { now: () => new Date() },
          log: silentLog,
          reconnectDelaysMs: [100],
          intervalMs: 50,
        });
        return [adapter];
      },
    });
    try {
      await dana.waitFor((l) => fromBot(l) && l.command === 'JOIN' && l.params[0] === '#ops', { what: 'the bot joining #ops' });
      dana.privmsg('#ops', '!inc start Cron stopped');
      await dana.waitFor((l) => fromBot(l) && l.command === 'INVITE', { what: 'the invitation' });
      await dana.join('#inc-1-cron-stopped');

      await adapter!.stop();
      expect((await dana.waitFor((l) => fromBot(l) && l.command === 'QUIT', { what: 'the QUIT' })).params[0]).toContain('firebell is stopping');
      await adapter!.start();
      await dana.waitFor((l) => fromBot(l) && l.command === 'JOIN' && l.params[0] === '#inc-1-cron-stopped', { what: 'the bot back in the incident channel' });
      dana.privmsg('#inc-1-cron-stopped', '!log Restarted cron');
      expect((await dana.waitFor(saidBy('PRIVMSG', '#inc-1-cron-stopped'))).params[1]).toMatch(/^Logged .*INC-1/);
    } finally {
      dana.destroy();
    }
  });
});
