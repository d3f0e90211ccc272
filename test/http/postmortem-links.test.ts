import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadHttpSecret } from '../../src/store/http-secret.ts';
import { openDatabase } from '../../src/store/open.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends, silentLog, type TestBackend, type TestDatabase } from '../support/databases.ts';
import { freePort } from './raw-http.ts';

interface Answer {
  status: number;
  type: string | null;
  cache: string | null;
  body: string;
}

async function get(url: string): Promise<Answer> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), body: await res.text() };
}

/** firebell with its HTTP server on a free port, and PUBLIC_URL pointing at it, as an operator would set it. */
async function startServingBot(backend: TestBackend, port?: number): Promise<TestBot & { publicUrl: string }> {
  const httpPort = port ?? (await freePort());
  const publicUrl = `http://127.0.0.1:${httpPort}`;
  const bot = await startTestBot(backend, { env: { HTTP_PORT: String(httpPort), PUBLIC_URL: publicUrl } });
  return Object.assign(bot, { publicUrl });
}

/** The backend's database as it is, for a second start on it; the test drops it itself. */
function sameDatabase(backend: TestBackend, target: TestDatabase): TestBackend {
  return { name: backend.name, create: () => Promise.resolve({ settings: target.settings, drop: () => Promise.resolve() }) };
}

const LINK = /^Postmortem draft: (http:\/\/127\.0\.0\.1:\d+\/postmortems\/INC-(\d+)\.md\?token=([A-Za-z0-9_-]{43}))$/m;

/** The link the bot gave in its reply to `close`. */
async function closeAndGetLink(bot: TestBot, title: string): Promise<string> {
  await bot.say(`start ${title} --sev 2`);
  const replied = await bot.say('close');
  const link = LINK.exec(replied);
  if (!link) throw new Error(`no postmortem link in:\n${replied}`);
  return link[1]!;
}

const withToken = (link: string, token: string | null) => link.replace(/\?token=.*$/, token === null ? '' : `?token=${token}`);
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

describe.each(backends)('postmortem links on $name', (backend) => {
  let bot: TestBot & { publicUrl: string };
  let link1: string;
  let link2: string;

  beforeAll(async () => {
    bot = await startServingBot(backend);
    link1 = await closeAndGetLink(bot, 'Checkout API returning 502s');
    link2 = await closeAndGetLink(bot, 'Search is slow');
  });
  afterAll(() => bot.stop());

  test('the link close gives carries a token, and it opens the draft over HTTP', async () => {
    expect(link1).toMatch(new RegExp(`^${bot.publicUrl}/postmortems/INC-1\\.md\\?token=[A-Za-z0-9_-]{43}$`));
    const draft = await get(link1);
    expect(draft.status).toBe(200);
    expect(draft.type).toBe('text/markdown; charset=utf-8');
    expect(draft.body.split('\n')[0]).toBe('# INC-1: Checkout API returning 502s');
    expect(tokenOf(link2)).not.toBe(tokenOf(link1));
  });

  test('postmortem gives the signed link too, .json for --format json, and both open', async () => {
    const md = await bot.say('postmortem INC-1');
    expect(md.split('\n')[0]).toBe(`Postmortem draft for INC-1: ${link1}`);
    const json = await bot.say('postmortem INC-1 --format json');
    const jsonLink = link1.replace('INC-1.md?', 'INC-1.json?');
    expect(json.split('\n')[0]).toBe(`Postmortem draft for INC-1: ${jsonLink}`);
    const answer = await get(jsonLink);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ref: 'INC-1', title: 'Checkout API returning 502s' });
  });

  test('without its token, or with a wrong one, a postmortem is 404 exactly as an incident that does not exist', async () => {
    const unknown = await get(link1.replace('INC-1.md', 'INC-99.md'));
    expect(unknown).toEqual({ status: 404, type: 'text/plain; charset=utf-8', cache: 'no-store', body: 'INC-99 does not exist\n' });
    const refused = { ...unknown, body: 'INC-1 does not exist\n' };

    const token = tokenOf(link1);
    const flip = (t: string, i: number) => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    const wrong = {
      'no token': withToken(link1, null),
      'an empty token': withToken(link1, ''),
      "INC-2's token": withToken(link1, tokenOf(link2)),
      'one character changed': withToken(link1, flip(token, 20)),
      'the last character changed': withToken(link1, flip(token, 42)),
      'one character short': withToken(link1, token.slice(0, -1)),
      'one character over': withToken(link1, `${token}A`),
      'the raw bytes, not base64url': withToken(link1, encodeURIComponent(Buffer.from(token, 'base64url').toString('latin1'))),
      'the token under another name': link1.replace('?token=', '?t='),
    };
    for (const [what, url] of Object.entries(wrong)) expect(await get(url), what).toEqual(refused);
    expect(await get(withToken(link1, null).replace('.md', '.json')), 'json without a token').toEqual(refused);
  });

  test('/healthz needs no token', async () => {
    expect((await get(`${bot.publicUrl}/healthz`)).status).toBe(200);
  });
});

describe.each(backends)('the postmortem link secret on $name', (backend) => {
  test('after a restart on the same database the same link still opens', async () => {
    const target = await backend.create();
    try {
      const first = await startServingBot(sameDatabase(backend, target));
      const link = await closeAndGetLink(first, 'Checkout API returning 502s');
      await first.stop();

      const again = await startServingBot(sameDatabase(backend, target), Number(new URL(link).port));
      try {
        expect(await again.say('postmortem INC-1')).toMatch(new RegExp(`^Postmortem draft for INC-1: ${link.replace(/[.?]/g, '\\$&')}$`, 'm'));
        const draft = await get(link);
        expect(draft.status).toBe(200);
        expect(draft.body.split('\n')[0]).toBe('# INC-1: Checkout API returning 502s');
      } finally {
        await again.stop();
      }
    } finally {
      await target.drop();
    }
  });

  test("two databases get different secrets: one bot's link does not open the other's INC-1", async () => {
    const a = await startServingBot(backend);
    const b = await startServingBot(backend);
    try {
      const linkA = await closeAndGetLink(a, 'Checkout API returning 502s');
      const linkB = await closeAndGetLink(b, 'Checkout API returning 502s');
      expect(tokenOf(linkA)).not.toBe(tokenOf(linkB));
      const aTokenOnB = withToken(linkB, tokenOf(linkA));
      expect(await get(aTokenOnB)).toMatchObject({ status: 404, body: 'INC-1 does not exist\n' });
      expect((await get(linkB)).status).toBe(200);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test('two instances making the secret at once agree on one', async () => {
    const target = await backend.create();
    const first = await openDatabase(target.settings, silentLog);
    // PGlite is one process's: there the two instances are two callers on one handle.
    const second = backend.name === 'postgres' ? await openDatabase(target.settings, silentLog) : first;
    try {
      for (let round = 0; round < 10; round++) {
        await first.query('delete from http_secret');
        const [one, other] = await Promise.all([loadHttpSecret(first), loadHttpSecret(second)]);
        expect(one.length).toBe(32);
        expect(other.equals(one), `round ${round}`).toBe(true);
        const { rows } = await first.query<{ n: number }>('select count(*)::int as n from http_secret');
        expect(rows[0]!.n).toBe(1);
      }
    } finally {
      if (second !== first) await second.close();
      await first.close();
      await target.drop();
    }
  });
});
