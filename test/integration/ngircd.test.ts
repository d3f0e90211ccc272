import IRC from 'irc-framework';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parseAddressed } from '../../src/chat/irc/addressing.ts';
import { channelLengthFrom, incidentChannelName } from '../../src/chat/irc/channel-name.ts';
import { cleanWireText, messageBudget, splitForWire } from '../../src/chat/irc/wire.ts';
import { RawIrcClient, type IrcLine } from '../support/irc-client.ts';
import { Ngircd } from '../support/ngircd.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const privmsgTo = (target: string, from?: string) => (l: IrcLine) => l.command === 'PRIVMSG' && l.params[0] === target && (from === undefined || l.nick === from);

describe('a real ngircd', () => {
  let server: Ngircd;
  const clients: RawIrcClient[] = [];
  const connect = async (nick: string) => {
    const client = await RawIrcClient.connect(server.port, nick);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await Ngircd.start({ channels: [{ name: '#ops', topic: 'on-call' }] });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(() => server?.stop());

  test('two clients talk in a channel, and each line arrives with the sender’s full prefix', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    await alice.join('#ops');
    await bob.join('#ops');
    expect(bob.lines.find((l) => l.command === '332')?.params.slice(1)).toEqual(['#ops', 'on-call']);
    alice.privmsg('#ops', 'Checkout API down, who is on call?');
    const heard = await bob.waitFor(privmsgTo('#ops', 'alice'));
    expect(heard.raw).toBe(':alice!~alice@127.0.0.1 PRIVMSG #ops :Checkout API down, who is on call?');
  });

  test('a 510-byte line is accepted but relayed cut to what fits after the sender’s prefix; 511 bytes get ERROR :Request too long', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const head = 'PRIVMSG bob :';
    alice.send(head + 'x'.repeat(510 - head.length));
    const heard = await bob.waitFor(privmsgTo('bob', 'alice'));
    // ":alice!~alice@127.0.0.1 PRIVMSG bob :" leaves 473 bytes: the rest of alice's text is lost.
    expect(bytes(heard.raw)).toBe(510);
    expect(heard.params[1]).toHaveLength(messageBudget({ nick: 'alice', user: '~alice', host: '127.0.0.1', command: 'PRIVMSG', target: 'bob' }));
    expect(heard.params[1]).toHaveLength(473);

    alice.send(head + 'y'.repeat(511 - head.length));
    const error = await alice.waitFor((l) => l.command === 'ERROR');
    expect(error.params[0]).toBe('Request too long');
    await alice.closed;
  });

  test('1,200 bytes of multi-byte text cut by splitForWire arrive intact, each relayed line within 510 bytes', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    await alice.join('#ops');
    await bob.join('#ops');
    let text = '';
    for (let i = 1; bytes(text) < 1_200; i++) text += `${i}: Störung im Rechenzentrum Zürich — 数据库复制延迟 🔥 👩‍👩‍👧‍👦 café `;
    text = text.trimEnd();
    // The prefix bob sees for alice is exactly known here, so the lines are as long as IRC allows.
    const budget = messageBudget({ nick: 'alice', user: '~alice', host: '127.0.0.1', command: 'PRIVMSG', target: '#ops' });
    const lines = splitForWire(text, budget);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) alice.privmsg('#ops', line);

    const heard: IrcLine[] = [];
    while (heard.length < lines.length) heard.push(await bob.waitFor(privmsgTo('#ops', 'alice')));
    expect(heard.map((l) => l.params[1]).join('')).toBe(text);
    const relayedBytes = heard.map((l) => bytes(l.raw));
    expect(Math.max(...relayedBytes)).toBeLessThanOrEqual(510);
    expect(Math.max(...relayedBytes)).toBeGreaterThan(500);
  });

  test('a line break in user text runs a command unless cleanWireText removes it', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    await alice.join('#inc-1-injection');
    await bob.join('#inc-1-injection');
    const userText = 'rolled back\r\nTOPIC #inc-1-injection :pwned';

    alice.privmsg('#inc-1-injection', cleanWireText(userText));
    expect((await bob.waitFor(privmsgTo('#inc-1-injection'))).params[1]).toBe('rolled back TOPIC #inc-1-injection :pwned');
    alice.privmsg('#inc-1-injection', 'sentinel');
    await bob.waitFor((l) => l.params[1] === 'sentinel');
    expect(bob.lines.filter((l) => l.command === 'TOPIC')).toEqual([]);

    // The same text unclean: the server runs the second line as alice's TOPIC command.
    alice.privmsg('#inc-1-injection', userText);
    const topic = await bob.waitFor((l) => l.command === 'TOPIC');
    expect(topic.params).toEqual(['#inc-1-injection', 'pwned']);
  });

  test('the channel names firebell makes are as long as ngircd’s CHANNELLEN allows, and no longer', async () => {
    const alice = await connect('alice');
    const isupport = alice.lines.filter((l) => l.command === '005').flatMap((l) => l.params);
    const channelLen = channelLengthFrom(isupport.find((p) => p.startsWith('CHANNELLEN='))?.split('=')[1]);
    expect(channelLen).toBe(50);

    const name = incidentChannelName(42, 'Primary database replication lag is causing stale reads', channelLen);
    expect(bytes(name)).toBeLessThanOrEqual(50);
    await alice.join(name);
    expect(alice.lines.some((l) => l.command === 'JOIN' && l.nick === 'alice' && l.params[0] === name)).toBe(true);

    const tooLong = `#inc-42-${'x'.repeat(43)}`;
    expect(bytes(tooLong)).toBe(51);
    alice.send(`JOIN ${tooLong}`);
    const refused = await alice.waitFor((l) => l.command === '403' || l.command === 'JOIN');
    expect(refused.command).toBe('403');
  });

  test('irc-framework connects, joins and speaks, and hears a command as the adapter will see it', async () => {
    const bob = await connect('bob');
    await bob.join('#ops');
    // connect(options) would replace these options wholesale, nick included: give them all here.
    const bot = new IRC.Client({ host: server.host, port: server.port, nick: 'firebell', username: 'firebell', gecos: 'firebell', auto_reconnect: false, ping_interval: 0, version: null });
    const closed = new Promise<boolean>((resolve) => bot.once('close', resolve));
    try {
      const registered = new Promise<string>((resolve) => bot.once('registered', (e) => resolve(e.nick)));
      bot.connect();
      expect(await registered).toBe('firebell');

      bot.join('#ops');
      await bob.waitFor((l) => l.command === 'JOIN' && l.nick === 'firebell');
      bot.say('#ops', 'INC-1 opened: Checkout API down');
      expect((await bob.waitFor(privmsgTo('#ops', 'firebell'))).raw).toBe(':firebell!~firebell@127.0.0.1 PRIVMSG #ops :INC-1 opened: Checkout API down');

      const message = new Promise<IRC.MessageEvent>((resolve) => bot.once('message', resolve));
      bob.privmsg('#ops', '!inc log paged the DBA');
      const event = await message;
      expect({ nick: event.nick, ident: event.ident, hostname: event.hostname, target: event.target, type: event.type, account: event.account }).toEqual({
        nick: 'bob',
        ident: '~bob',
        hostname: '127.0.0.1',
        target: '#ops',
        type: 'privmsg',
        account: undefined,
      });
      expect(parseAddressed(event.message, { botNick: bot.user.nick, inIncidentChannel: false, isPrivate: false, verbs: new Set(['log']) })).toEqual({ verb: 'log', text: 'paged the DBA' });
      expect(bot.network.supports('CHANNELLEN')).toBe('50');
    } finally {
      bot.quit('bye');
      await closed;
    }
  });
});

describe('ngircd restarted on the same port', () => {
  let server: Ngircd;
  beforeAll(async () => {
    server = await Ngircd.start({ channels: [{ name: '#ops' }] });
  });
  afterAll(() => server?.stop());

  test('its clients are cut off, and they reconnect and talk again', async () => {
    const alice = await RawIrcClient.connect(server.port, 'alice');
    const port = server.port;
    await server.restart();
    await alice.closed;
    expect(server.port).toBe(port);

    const again = await RawIrcClient.connect(server.port, 'alice');
    const bob = await RawIrcClient.connect(server.port, 'bob');
    try {
      await again.join('#ops');
      await bob.join('#ops');
      again.privmsg('#ops', 'back');
      expect((await bob.waitFor(privmsgTo('#ops', 'alice'))).params[1]).toBe('back');
    } finally {
      again.destroy();
      bob.destroy();
    }
  });

  test('while it is down, connecting is refused', async () => {
    await server.halt();
    try {
      await expect(RawIrcClient.connect(server.port, 'carol')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await server.launch();
    }
    const carol = await RawIrcClient.connect(server.port, 'carol');
    carol.destroy();
  });
});
