import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { parseIrcLine, type IrcLine } from '../support/irc-client.ts';

/**
 * ngircd reports no accounts (no account-tag, extended-join or account-notify), and no IRCv3 server
 * is installable here (research notes §6), so this end of the network is played by a small server
 * that offers those capabilities, registers the bot and hands it lines as an IRCv3 network would.
 */
class Ircv3Server {
  readonly received: IrcLine[] = [];
  private socket: Socket | null = null;
  private waiters: { predicate: (l: IrcLine) => boolean; resolve: (l: IrcLine) => void }[] = [];
  private cursor = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<Ircv3Server> {
    let self!: Ircv3Server;
    const server = createServer((socket) => self.accept(socket));
    self = new Ircv3Server(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  send(line: string): void {
    this.socket!.write(`${line}\r\n`);
  }

  /** The next line from the bot after the last one matched, now or when it comes. */
  waitFor(predicate: (l: IrcLine) => boolean, what: string): Promise<IrcLine> {
    for (let i = this.cursor; i < this.received.length; i++) {
      if (predicate(this.received[i]!)) {
        this.cursor = i + 1;
        return Promise.resolve(this.received[i]!);
      }
    }
    this.cursor = this.received.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what}; the bot sent:\n${this.received.map((l) => `  ${l.raw}`).join('\n')}`)), 10_000);
      this.waiters.push({
        predicate,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.socket = socket;
    let buffer = '';
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
        const line = parseIrcLine(buffer.slice(0, end).replace(/\r$/, ''));
        buffer = buffer.slice(end + 1);
        this.answer(line);
        this.received.push(line);
        const i = this.waiters.findIndex((w) => w.predicate(line));
        if (i !== -1) {
          this.cursor = this.received.length;
          this.waiters.splice(i, 1)[0]!.resolve(line);
        }
      }
    });
  }

  /** The SASL PLAIN credentials the bot logged in with: [authzid, authcid, password]. */
  saslPlain: string[] | null = null;

  private answer(line: IrcLine): void {
    if (line.command === 'CAP' && line.params[0] === 'LS') this.send(':irc.v3.test CAP * LS :account-tag extended-join account-notify message-tags sasl');
    if (line.command === 'AUTHENTICATE' && line.params[0] === 'PLAIN') this.send('AUTHENTICATE +');
    if (line.command === 'AUTHENTICATE' && line.params[0] !== 'PLAIN') {
      this.saslPlain = Buffer.from(line.params[0]!, 'base64').toString('utf8').split('\0');
      this.send(`:irc.v3.test 900 firebell firebell!firebell@bot.test ${this.saslPlain[1]} :You are now logged in`);
      this.send(':irc.v3.test 903 firebell :SASL authentication successful');
    }
    if (line.command === 'CAP' && line.params[0] === 'REQ') this.send(`:irc.v3.test CAP * ACK :${line.params.at(-1)}`);
    if (line.command === 'CAP' && line.params[0] === 'END') {
      this.send(':irc.v3.test 001 firebell :Welcome');
      this.send(':irc.v3.test 005 firebell CASEMAPPING=ascii CHANTYPES=# CHANNELLEN=50 :are supported');
      this.send(':irc.v3.test 376 firebell :End of MOTD');
    }
    if (line.command === 'JOIN') this.send(`:firebell!firebell@bot.test JOIN ${line.params[0]} * :firebell`);
    if (line.command === 'PING') this.send(`:irc.v3.test PONG irc.v3.test :${line.params.at(-1)}`);
  }
}

const said = (target: string) => (l: IrcLine) => l.command === 'PRIVMSG' && l.params[0] === target;

describe.each(backends)('IRC accounts on an IRCv3 network ($name)', (backend) => {
  let server: Ircv3Server;
  let bot: TestBot;

  beforeAll(async () => {
    server = await Ircv3Server.start();
    bot = await startTestBot(backend, {
      env: { IRC_HOST: '127.0.0.1', IRC_PORT: String(server.port), OPS_CHANNEL: '#ops', IRC_ALLOW: 'account:dana, account:erin-acct' },
      irc: { intervalMs: 20 },
    });
    await server.waitFor((l) => l.command === 'JOIN' && l.params[0] === '#ops', 'the bot joining #ops');
  });
  afterAll(async () => {
    await bot.stop();
    await server.stop();
  });

  test('IRC_ALLOW account: entries match the account tag and extended-join, authors are recorded by account, msgid makes a replay record once', async () => {
    // dana is logged in as "dana" while using the nick "dana_away": the account counts, not the nick.
    server.send('@account=dana;msgid=m-1 :dana_away!~d@10.0.0.5 PRIVMSG #ops :!inc start Replica lag');
    expect((await server.waitFor(said('#ops'), 'the start reply')).params[1]).toMatch(/^\x02INC-1\x02 opened: Replica lag/);

    server.send('@account=dana;msgid=m-2 :dana_away!~d@10.0.0.5 PRIVMSG #ops :!inc log INC-1 Lag at 40 minutes');
    const logged = (await server.waitFor((l) => said('#ops')(l) && /^Logged/.test(l.params[1]!), 'the log reply')).params[1];
    // The network delivers the same message again (a replayed batch): same msgid, one entry.
    server.send('@account=dana;msgid=m-2 :dana_away!~d@10.0.0.5 PRIVMSG #ops :!inc log INC-1 Lag at 40 minutes');
    expect((await server.waitFor((l) => said('#ops')(l) && /^Logged/.test(l.params[1]!), 'the replayed reply')).params[1]).toBe(logged);

    // No account tag on this message, but extended-join said who erin is.
    server.send(':erin!~e@10.0.0.7 JOIN #ops erin-acct :Erin');
    server.send(':erin!~e@10.0.0.7 PRIVMSG #ops :!inc log INC-1 Promoted the replica');
    expect((await server.waitFor((l) => said('#ops')(l) && /^Logged/.test(l.params[1]!), 'erin\'s reply')).params[1]).toMatch(/^Logged/);

    // Logged out (account-notify): no longer allowed.
    server.send(':erin!~e@10.0.0.7 ACCOUNT *');
    server.send(':erin!~e@10.0.0.7 PRIVMSG #ops :!inc log INC-1 Should not count');
    expect((await server.waitFor(said('#ops'), 'the refusal')).params[1]).toMatch(/^erin: sorry, you are not on this bot's allow-list/);
    server.send('@account=mallory :mallory!~m@10.0.0.6 PRIVMSG #ops :!inc log INC-1 Nor this');
    expect((await server.waitFor(said('#ops'), 'the second refusal')).params[1]).toMatch(/^mallory: sorry/);

    const entries = (await bot.record(1)).entries.filter((e) => e.kind !== 'opened');
    expect(entries.map((e) => [e.author, e.authorId, e.text])).toEqual([
      ['dana_away', 'irc:dana', 'Lag at 40 minutes'],
      ['erin', 'irc:erin-acct', 'Promoted the replica'],
    ]);
  });
});

describe('IRC with SASL', () => {
  test('IRC_SASL_ACCOUNT and IRC_SASL_PASSWORD log the bot in with SASL PLAIN before it registers, and no PASS is sent', async () => {
    const server = await Ircv3Server.start();
    const bot = await startTestBot(backends[0]!, {
      env: { IRC_HOST: '127.0.0.1', IRC_PORT: String(server.port), OPS_CHANNEL: '#ops', IRC_SASL_ACCOUNT: 'firebell-bot', IRC_SASL_PASSWORD: 'hunter2' },
    });
    try {
      await server.waitFor((l) => l.command === 'JOIN' && l.params[0] === '#ops', 'the bot joining #ops');
      expect(server.saslPlain).toEqual(['firebell-bot', 'firebell-bot', 'hunter2']);
      const commands = server.received.map((l) => l.command);
      expect(commands).not.toContain('PASS');
      expect(commands.indexOf('AUTHENTICATE')).toBeLessThan(commands.lastIndexOf('CAP'));
    } finally {
      await bot.stop();
      await server.stop();
    }
  });
});
