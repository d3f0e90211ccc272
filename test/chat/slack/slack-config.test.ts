import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { runFirebell } from '../../support/cli.ts';

const BOT = 'xoxb-1-2-abc';
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

function problemsOf(env: Record<string, string>): string[] {
  const r = loadConfig(env);
  return r.ok ? [] : r.problems;
}

describe('Slack configuration', () => {
  test('a bot token and a signing secret switch Slack on; the emoji defaults to pushpin', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'http://127.0.0.1:9/api', OPS_CHANNEL: '#ops' });
    expect(r.ok && r.config).toMatchObject({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      SLACK_TIMELINE_EMOJI: 'pushpin',
      OPS_CHANNEL: '#ops',
    });
  });

  test('an emoji written with colons is read without them', () => {
    const r = loadConfig({ SLACK_TIMELINE_EMOJI: ':round_pushpin:' });
    expect(r.ok && r.config.SLACK_TIMELINE_EMOJI).toBe('round_pushpin');
  });

  test('one of the pair without the other is refused, naming what is missing', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: BOT })).toEqual(['SLACK_BOT_TOKEN: Slack also needs SLACK_SIGNING_SECRET']);
    expect(problemsOf({ SLACK_SIGNING_SECRET: SECRET })).toEqual(['SLACK_SIGNING_SECRET: Slack also needs SLACK_BOT_TOKEN']);
    expect(problemsOf({ SLACK_APP_TOKEN: 'xapp-1-A-1-x' })).toEqual(['SLACK_APP_TOKEN: Slack also needs SLACK_BOT_TOKEN']);
  });

  test('a token of the wrong kind, a bad API URL and a bad emoji are each named', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'ftp://x', SLACK_TIMELINE_EMOJI: 'two words' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['SLACK_BOT_TOKEN', 'SLACK_API_URL', 'SLACK_TIMELINE_EMOJI']);
    // The token itself is never echoed.
    expect(problems.join('\n')).not.toContain('xoxp-user-token');
  });

  test('the HTTP receiver needs the HTTP server; Socket Mode does not', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, HTTP_PORT: '0' })[0]).toMatch(/^SLACK_BOT_TOKEN: .*HTTP_PORT=0/);
    expect(problemsOf({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: 'xapp-1-A-1-x', HTTP_PORT: '0' })).toEqual([]);
  });

  test('firebell with a bot token but no signing secret exits 2 with one line about it', async () => {
    const run = await runFirebell([], { SLACK_BOT_TOKEN: BOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SLACK_BOT_TOKEN: Slack also needs SLACK_SIGNING_SECRET');
    expect(run.stderr).not.toContain(BOT);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
