import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { launchChromium } from '../support/chromium.ts';
import { backends } from '../support/databases.ts';
import { freePort } from '../http/raw-http.ts';

const HOSTILE_TITLE = `<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">Checkout & "login"`;
const HOSTILE_MESSAGE = `See <a href="javascript:window.pwned=3">details</a> javascript:window.pwned=4 https://evil.example/?a=1&b=2 ]]> <!-- x -->`;

interface AtomSummary {
  error: boolean;
  root: string;
  required: number[];
  self: string | undefined;
  entries: { ids: number; id: string; title: string; updated: string; content: string; type: string }[];
}

/** Runs in the page (the tests are compiled without DOM types): Chromium's own XML parser reads the feed. */
const READ_ATOM = `(source) => {
  const doc = new DOMParser().parseFromString(source, 'application/xml');
  const ns = 'http://www.w3.org/2005/Atom';
  const root = doc.documentElement;
  const child = (el, name) => [...el.children].filter((c) => c.namespaceURI === ns && c.localName === name);
  return {
    error: doc.getElementsByTagName('parsererror').length > 0,
    root: root.namespaceURI + ' ' + root.localName,
    required: ['id', 'title', 'updated', 'author'].map((n) => child(root, n).length),
    self: child(root, 'link').find((l) => l.getAttribute('rel') === 'self')?.getAttribute('href'),
    entries: child(root, 'entry').map((e) => ({
      ids: child(e, 'id').length,
      id: child(e, 'id')[0]?.textContent,
      title: child(e, 'title')[0]?.textContent,
      updated: child(e, 'updated')[0]?.textContent,
      content: child(e, 'content')[0]?.textContent,
      type: child(e, 'content')[0]?.getAttribute('type'),
    })),
  };
}`;

describe.each(backends)('the static status page, as a visitor sees it, on $name', (backend) => {
  let bot: TestBot;
  let browser: Browser;
  let page: Page;
  let siteDir: string;
  let origin: string;

  beforeAll(async () => {
    siteDir = await mkdtemp(join(tmpdir(), 'firebell-site-'));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    [bot, browser] = await Promise.all([
      startTestBot(backend, { now: '2026-03-01T10:00:00Z', env: { STATUS_SITE_DIR: siteDir, HTTP_PORT: String(port), PUBLIC_URL: origin } }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await rm(siteDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    page?.isClosed() === false && (await page.close());
    page = await browser.newPage();
  });

  const published = async () => {
    await bot.firebell.executor.idle();
    await bot.firebell.outbox.drain();
    await bot.firebell.statusSite.written();
  };
  const overall = () => page.locator('#overall').innerText();

  test('an incident with a status update shows as the overall state, with its latest update, then all of its updates newest first', async () => {
    await published();
    await page.goto(`${origin}/status/`);
    expect(await overall()).toBe('All systems operational');
    expect(await page.locator('#history').innerText()).toContain('No incidents in the last 90 days.');

    await bot.say('start Checkout down --sev 2');
    await bot.say('log internal: suspect the acme customer');
    await bot.say('status investigating Payments fail for some cards');
    bot.clock.advance('10m');
    await bot.say('status identified A bad deploy; rolling back');
    await published();

    await page.goto(`${origin}/status/`);
    expect(await page.locator('#overall p').innerText()).toBe('One active incident');
    expect(await page.locator('#overall li').allInnerTexts()).toEqual(['Checkout down — Identified: A bad deploy; rolling back']);
    expect(await page.locator('#overall').getAttribute('class')).toBe('overall major');
    const updates = await page.locator('#active ol.updates li').allInnerTexts();
    expect(updates).toEqual([
      'Identified A bad deploy; rolling back\n2026-03-01 10:10 UTC',
      'Investigating Payments fail for some cards\n2026-03-01 10:00 UTC',
    ]);
    expect(await page.content()).not.toContain('acme');

    await page.getByRole('link', { name: 'Checkout down' }).first().click();
    expect(page.url()).toBe(`${origin}/status/incidents/INC-1.html`);
    expect(await page.locator('h1').innerText()).toBe('Checkout down INC-1');
    expect(await page.locator('#state').innerText()).toBe('Identified (active)');
  });

  test('after resolution the page is all clear and the incident is in the history, its page keeping every update', async () => {
    await bot.say('resolve Payments work again');
    await published();
    await page.goto(`${origin}/status/`);
    expect(await overall()).toBe('All systems operational');
    expect(await page.locator('#active').count()).toBe(0);
    expect(await page.locator('#history article h3').allInnerTexts()).toEqual(['Checkout down INC-1']);
    expect(await page.locator('#history article .when').allInnerTexts()).toEqual(['Resolved 2026-03-01 10:10 UTC']);
    await page.goto(`${origin}/status/incidents/INC-1.html`);
    expect(await page.locator('#state').innerText()).toBe('Resolved');
    expect(await page.locator('ol.updates li .message').allInnerTexts()).toEqual([
      'Payments work again',
      'A bad deploy; rolling back',
      'Payments fail for some cards',
    ]);
  });

  test('hostile text in a title and a message shows as text, never as markup, with or without the policy', async () => {
    await bot.say(`start ${HOSTILE_TITLE} --sev 1`);
    expect(await bot.say(`status INC-2 investigating ${HOSTILE_MESSAGE}`)).toMatch(/^INC-2 status is now/);
    await published();

    const response = await page.goto(`${origin}/status/`);
    expect(response!.headers()['content-security-policy']).toMatch(/default-src 'none'/);
    expect(response!.headers()['content-security-policy']).not.toMatch(/script-src/);
    // From file:// no header is sent: the escaping alone must hold.
    for (const url of [`${origin}/status/`, pathToFileURL(join(siteDir, 'index.html')).href, pathToFileURL(join(siteDir, 'incidents', 'INC-2.html')).href]) {
      await page.goto(url);
      expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
      expect(await page.locator('script, img, iframe, object').count()).toBe(0);
      expect(await page.locator('a[href^="javascript:"], a[href*="evil"]').count()).toBe(0);
      const text = await page.locator('main').innerText();
      expect(text).toContain(HOSTILE_TITLE);
      expect(text).toContain(HOSTILE_MESSAGE);
    }
    await page.goto(pathToFileURL(join(siteDir, 'index.html')).href);
    expect(await overall()).toContain('One active incident');
  });

  test('feed.atom is Atom 1.0 with one entry per update, its text as text', async () => {
    const xml = await readFile(join(siteDir, 'feed.atom'), 'utf8');
    const response = await page.request.get(`${origin}/status/feed.atom`);
    expect(response.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(await response.text()).toBe(xml);
    await page.goto('about:blank');
    const feed = (await page.evaluate(`(${READ_ATOM})(${JSON.stringify(xml)})`)) as AtomSummary;
    expect(feed.error).toBe(false);
    expect(feed.root).toBe('http://www.w3.org/2005/Atom feed');
    expect(feed.required).toEqual([1, 1, 1, 1]);
    expect(feed.self).toBe(`${origin}/status/feed.atom`);
    expect(feed.entries).toHaveLength(4);
    expect(feed.entries[0]).toMatchObject({ ids: 1, title: `[Investigating] ${HOSTILE_TITLE} (INC-2)`, content: HOSTILE_MESSAGE, type: 'text' });
    expect(feed.entries.map((e) => e.title)).toContain('[Resolved] Checkout down (INC-1)');
    for (const e of feed.entries) {
      expect(e.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Date(e.updated).toISOString()).toBe(e.updated);
    }
    expect(new Set(feed.entries.map((e) => e.id)).size).toBe(4);
  });

  test('status.json says the overall state and each incident with its updates, newest first', async () => {
    const status = JSON.parse(await readFile(join(siteDir, 'status.json'), 'utf8'));
    expect(status.status).toEqual({ indicator: 'critical', description: 'One active incident' });
    expect(status.incidents.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      ['INC-2', 'investigating'],
      ['INC-1', 'resolved'],
    ]);
    expect(status.incidents[1].incident_updates.map((u: { body: string }) => u.body)).toEqual([
      'Payments work again',
      'A bad deploy; rolling back',
      'Payments fail for some cards',
    ]);
    expect(status.incidents[1].shortlink).toBe(`${origin}/status/incidents/INC-1.html`);
  });

  test('on a phone the page fits the screen: nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${origin}/status/`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.goto(`${origin}/status/incidents/INC-2.html`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  });

  test('a public update corrected with edit changes on the page; one withdrawn with delete leaves it', async () => {
    await bot.say('status INC-2 identified Wrong guess: the CDN');
    await published();
    const statusEntries = (await bot.record(2)).entries.filter((e) => e.kind === 'status' && !e.deletedAt);
    const [first, wrong] = statusEntries;
    expect(await bot.say(`edit ${first!.id} Card payments fail for some customers`)).toMatch(/^Entry #\d+ of INC-2 now reads: Status investigating: Card payments fail for some customers/);
    expect(await bot.say(`delete ${wrong!.id}`)).toMatch(/deleted/i);
    await published();
    await page.goto(`${origin}/status/incidents/INC-2.html`);
    expect(await page.locator('ol.updates li .message').allInnerTexts()).toEqual(['Card payments fail for some customers']);
    expect(await page.locator('#state').innerText()).toBe('Investigating (active)');
    const feed = await readFile(join(siteDir, 'feed.atom'), 'utf8');
    expect(feed).not.toContain('Wrong guess');
    expect(feed).toContain('Card payments fail for some customers');
  });

  test('/status/ serves the site and nothing else from its folder', async () => {
    for (const path of ['/status/.snapshot', '/status/../status.json', '/status/incidents/../../x', '/status/%2e%2e/feed.atom', '/status/index.html.tmp']) {
      expect((await page.request.get(`${origin}${path}`, { maxRedirects: 0 })).status()).toBe(404);
    }
    expect((await page.request.get(`${origin}/status`, { maxRedirects: 0 })).headers().location).toBe('/status/');
  });
});
