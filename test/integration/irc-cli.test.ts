import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunningFirebell } from '../support/cli.ts';
import { RawIrcClient, type IrcLine } from '../support/irc-client.ts';
import { Ngircd } from '../support/ngircd.ts';

const fromBot = (l: IrcLine) => l.nick === 'firebell';

describe('the firebell binary on IRC, with the terminal beside it', () => {
  let server: Ngircd;
  let dataDir: string;

  beforeAll(async () => {
    server = await Ngircd.start();
    dataDir = await mkdtemp(join(tmpdir(), 'firebell-irc-cli-'));
  });
  afterAll(async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('an incident started on IRC is driven from the terminal too, its channel follows, and SIGTERM says QUIT', async () => {
    const dana = await RawIrcClient.connect(server.port, 'dana');
    await dana.join('#ops');
    const bot = new RunningFirebell({
      DATA_DIR: dataDir,
      IRC_HOST: server.host,
      IRC_PORT: String(server.port),
      OPS_CHANNEL: '#ops',
      FIREBELL_SHELL: '1',
    });
    try {
      // A new data directory: the embedded database is made first.
      await dana.waitFor((l) => fromBot(l) && l.command === 'JOIN' && l.params[0] === '#ops', { what: 'the bot joining #ops', timeoutMs: 45_000 }).catch((err: Error) => {
        throw new Error(`${err.message}\nfirebell's stderr:\n${bot.stderr}`);
      });
      expect(bot.stderr).toContain('IRC_ALLOW is not set');

      dana.privmsg('#ops', '!inc start Search is down');
      const invite = await dana.waitFor((l) => fromBot(l) && l.command === 'INVITE', { what: 'the invitation' });
      const channel = invite.params[1]!;
      expect(channel).toBe('#inc-1-search-is-down');
      await dana.join(channel);

      expect(await bot.say('log INC-1 Seen from the terminal')).toMatch(/^Logged #2 on INC-1/);
      expect(await bot.say('sev INC-1 1')).toBe('INC-1 is now SEV1');
      const topic = await dana.waitFor((l) => fromBot(l) && l.command === 'TOPIC' && l.params[1]!.includes('[SEV1]'), { what: 'the topic following' });
      expect(topic.params).toEqual([channel, 'INC-1 [SEV1] investigating | Search is down | commander: none']);
      const said = await dana.waitFor((l) => fromBot(l) && l.command === 'PRIVMSG' && l.params[0] === channel, { what: 'the change said in the channel' });
      expect(said.params[1]).toBe('INC-1 [SEV1] investigating: Search is down (now SEV1)');

      dana.privmsg(channel, '!show');
      const shown = await dana.waitFor((l) => fromBot(l) && /Seen from the terminal/.test(l.params[1] ?? ''), { what: 'the terminal entry in show' });
      // The terminal's author is the user running firebell.
      expect(shown.params[1]).toContain(`note · ${userInfo().username}: Seen from the terminal`);

      const exited = bot.kill('SIGTERM');
      const quit = await dana.waitFor((l) => fromBot(l) && l.command === 'QUIT', { what: 'the QUIT' });
      expect(quit.params[0]).toContain('firebell is stopping');
      expect((await exited).code).toBe(0);
    } finally {
      if (bot.child.exitCode === null) await bot.kill('SIGKILL');
      dana.destroy();
    }
  });
});
