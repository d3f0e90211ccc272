import { describe, expect, test } from 'vitest';
import { loadConfig, type ConfigResult } from '../src/config.ts';
import { runFirebell } from './support/cli.ts';

function configOf(r: ConfigResult) {
  if (!r.ok) throw new Error(`expected a valid configuration, got:\n${r.problems.join('\n')}`);
  return r.config;
}

const problemsOf = (r: ConfigResult): string[] => (r.ok ? [] : r.problems);

describe('the IRC settings', () => {
  test('IRC_HOST alone gives port 6667, nick firebell, no TLS, no channels, everyone allowed', () => {
    expect(configOf(loadConfig({ IRC_HOST: 'irc.example.net' }))).toMatchObject({
      IRC_HOST: 'irc.example.net',
      IRC_PORT: 6667,
      IRC_NICK: 'firebell',
      IRC_TLS: false,
      IRC_CHANNELS: [],
    });
    expect(configOf(loadConfig({ IRC_HOST: 'irc.example.net' })).IRC_ALLOW).toBeUndefined();
  });

  test('with TLS the default port is 6697; channels, allow-list, SASL and the ops channel are read', () => {
    const config = configOf(
      loadConfig({
        IRC_HOST: 'irc.example.net',
        IRC_TLS: 'yes',
        IRC_NICK: 'pager[bot]',
        IRC_CHANNELS: '#sre, #ops #SRE',
        IRC_ALLOW: '*!*@ops.example.net, account:Dana',
        IRC_SASL_ACCOUNT: 'firebell',
        IRC_SASL_PASSWORD: 'hunter2',
        OPS_CHANNEL: '#ops',
      }),
    );
    expect(config).toMatchObject({ IRC_PORT: 6697, IRC_TLS: true, IRC_NICK: 'pager[bot]', IRC_CHANNELS: ['#sre', '#ops'], OPS_CHANNEL: '#ops' });
    expect(config.IRC_ALLOW).toEqual([
      { kind: 'mask', nick: '*', user: '*', host: 'ops.example.net' },
      { kind: 'account', name: 'dana' },
    ]);
  });

  test('bad values are each named: a port, a switch, a channel without #, a nick, an allow entry, the ops channel', () => {
    expect(
      problemsOf(
        loadConfig({
          IRC_HOST: 'irc.example.net',
          IRC_PORT: 'abc',
          IRC_TLS: 'maybe',
          IRC_CHANNELS: '#sre,ops',
          IRC_NICK: 'fire bell',
          IRC_ALLOW: 'dana',
          OPS_CHANNEL: 'ops',
        }),
      ).sort(),
    ).toEqual([
      'IRC_ALLOW: "dana" is not an allow entry: use a hostmask like "*!*@ops.example.net" or "account:<name>"',
      'IRC_CHANNELS: "ops" is not a channel name: it must start with #, as in "#ops"',
      'IRC_NICK: expected an IRC nick (a letter first, at most 30 characters, no spaces), got "fire bell"',
      'IRC_PORT: expected a port number, got "abc"',
      'IRC_TLS: expected 1 or 0 (true/false, yes/no, on/off), got "maybe"',
      'OPS_CHANNEL: expected a channel name like #ops (or a Slack channel id), got "ops"',
    ]);
  });

  test('half a SASL pair, or IRC settings without IRC_HOST, are refused rather than ignored', () => {
    expect(problemsOf(loadConfig({ IRC_HOST: 'irc.example.net', IRC_SASL_ACCOUNT: 'firebell' }))).toEqual(['IRC_SASL_ACCOUNT: set IRC_SASL_PASSWORD too, or neither']);
    expect(problemsOf(loadConfig({ IRC_CHANNELS: '#ops' }))).toEqual(['IRC_CHANNELS: IRC is off until IRC_HOST is set']);
  });

  test('a Slack channel id is a valid OPS_CHANNEL', () => {
    expect(configOf(loadConfig({ OPS_CHANNEL: 'C0123ABCD' })).OPS_CHANNEL).toBe('C0123ABCD');
  });
});

describe('firebell started with a bad IRC configuration', () => {
  test('exits with status 2 and one message naming each bad variable, the SASL password never shown', async () => {
    const run = await runFirebell([], { IRC_HOST: '127.0.0.1', IRC_PORT: 'abc', IRC_TLS: 'maybe', IRC_CHANNELS: 'ops', IRC_SASL_PASSWORD: 'hunter2' });
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('firebell: the configuration is not valid:');
    expect(lines.slice(1, -1).sort()).toEqual([
      '  IRC_CHANNELS: "ops" is not a channel name: it must start with #, as in "#ops"',
      '  IRC_PORT: expected a port number, got "abc"',
      '  IRC_SASL_PASSWORD: set IRC_SASL_ACCOUNT too, or neither',
      '  IRC_TLS: expected 1 or 0 (true/false, yes/no, on/off), got "maybe"',
    ]);
    expect(run.stderr).not.toContain('hunter2');
  });
});
