import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunningFirebell } from '../support/cli.ts';
import { backends, type TestDatabase } from '../support/databases.ts';
import { RawIrcClient, type IrcLine } from '../support/irc-client.ts';
import { Ngircd } from '../support/ngircd.ts';

const postgres = backends.find((b) => b.name === 'postgres');
const fromBot = (l: IrcLine) => l.nick?.startsWith('firebell') ?? false;

// Two firebell processes on one Postgres and one IRC network (README "Running more than one").
describe.skipIf(!postgres)('two firebell processes on one IRC network', () => {
  let server: Ngircd;
  let database: TestDatabase;
  const dirs: string[] = [];
  const bots: RunningFirebell[] = [];

  beforeAll(async () => {
    server = await Ngircd.start();
    database = await postgres!.create();
  });
  afterAll(async () => {
    for (const bot of bots) if (bot.child.exitCode === null && bot.child.signalCode === null) await bot.kill('SIGKILL');
    await server.stop();
    await database.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function startInstance(): Promise<RunningFirebell> {
    const dir = await mkdtemp(join(tmpdir(), 'firebell-irc-two-'));
    dirs.push(dir);
    const bot = new RunningFirebell({
      DATA_DIR: dir,
      DATABASE_URL: database.settings.DATABASE_URL!,
      IRC_HOST: server.host,
      IRC_PORT: String(server.port),
      OPS_CHANNEL: '#ops',
      IRC_ALLOW: '*!*@*',
      // The terminal beside IRC: a way to ask each instance directly.
      FIREBELL_SHELL: '1',
    });
    bots.push(bot);
    return bot;
  }

  test('one holds the connection; SIGKILLed, the other takes over within 30 s, rejoins, and records', async () => {
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

    // The second is up (it answers), yet only one bot is on the network: it would show up as firebell_.
    expect(await second.say('list')).toMatch(/INC-1/);
    dana.send('NAMES #ops');
    const names = await dana.waitFor((l) => l.command === '353' && l.params[2] === '#ops', { what: 'the names in #ops' });
    expect(names.params[3]!.split(' ').filter((n) => n.replace(/^[@+]/, '').startsWith('firebell'))).toHaveLength(1);

    await first.kill('SIGKILL');
    const killedAt = Date.now();
    // The killed one's connection drops when the server notices; the other joins the incident's channel.
    await dana.waitFor((l) => fromBot(l) && l.command === 'JOIN' && l.params[0] === channel, { what: 'the other instance rejoining', timeoutMs: 40_000 });
    expect(Date.now() - killedAt).toBeLessThan(30_000);

    dana.privmsg(channel, '!log After the takeover');
    const reply = await dana.waitFor((l) => fromBot(l) && l.command === 'PRIVMSG' && l.params[0] === channel, { what: 'the reply after the takeover' });
    expect(reply.params[1]).toMatch(/^Logged \x02#\d+\x02 on INC-1/);
    await second.say('show INC-1');
    await second.waitFor(() => second.stdout.includes('After the takeover'));
    expect(second.stdout).toContain('Before the crash');
    dana.destroy();
    expect((await second.kill('SIGTERM')).code).toBe(0);
  });
});
