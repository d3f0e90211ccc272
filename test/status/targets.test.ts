import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { backends } from '../support/databases.ts';
import { FakeCachet } from '../support/fake-status/fake-cachet.ts';
import { FakeStatuspage } from '../support/fake-status/fake-statuspage.ts';
import { renderPostmortem } from '../../src/postmortem/markdown.ts';

const PAGE = 'gytm4qzbx9t6';
const KEY = 'statuspage-key-for-tests';
const TOKEN = 'cachet-token-for-tests';

describe.each(backends)('Statuspage and Cachet targets on $name', (backend) => {
  let bot: TestBot;
  let statuspage: FakeStatuspage;
  let cachet: FakeCachet;

  beforeAll(async () => {
    statuspage = await new FakeStatuspage(PAGE, KEY).start();
    cachet = await new FakeCachet(TOKEN).start();
    bot = await startTestBot(backend, {
      now: '2026-03-01T10:00:00Z',
      env: {
        STATUSPAGE_API_KEY: KEY,
        STATUSPAGE_PAGE_ID: PAGE,
        STATUSPAGE_API_URL: statuspage.apiUrl,
        STATUSPAGE_COMPONENT_IDS: '8kbf7d35c070, 1rq2p3t4u5v6',
        CACHET_URL: cachet.url,
        CACHET_TOKEN: TOKEN,
      },
      statusDelivery: { random: () => 0 },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await statuspage.stop();
    await cachet.stop();
  });
  beforeEach(async () => {
    statuspage.reset();
    cachet.reset();
    await bot.reset();
    statuspage.reset();
    cachet.reset();
    bot.clock.set('2026-03-01T10:00:00Z');
  });

  const afterBackoff = async (times: number) => {
    for (let i = 0; i < times; i++) {
      bot.clock.advance('1h');
      await bot.deliverStatus();
    }
  };

  test('the first update creates the incident on each page, later ones amend that same incident, in order', async () => {
    await bot.say('start Checkout down --sev 2');
    await bot.say('status investigating Payments fail for some cards');
    await bot.deliverStatus();
    await bot.say('status monitoring A fix is deployed');
    await bot.say('resolve Payments work again');
    await bot.deliverStatus();

    expect(statuspage.rejected).toEqual([]);
    expect(statuspage.incidents).toHaveLength(1);
    const [sp] = statuspage.incidents;
    expect(sp).toMatchObject({ name: 'Checkout down (INC-1)', status: 'resolved', impact_override: 'major' });
    expect(sp!.incident_updates.map((u) => [u.status, u.body])).toEqual([
      ['resolved', 'Payments work again'],
      ['monitoring', 'A fix is deployed'],
      ['investigating', 'Payments fail for some cards'],
    ]);
    // Set back to operational with the resolving update, in the same request.
    expect(sp!.components).toEqual({ '8kbf7d35c070': 'operational', '1rq2p3t4u5v6': 'operational' });
    expect(statuspage.requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    // The postmortem's "Public communications" says where each update went.
    expect(renderPostmortem(await bot.record(1), bot.clock.now())).toContain(
      '| 2026-03-01 10:00 | investigating | Payments fail for some cards | dana | statuspage: delivered 2026-03-01 10:00<br>cachet: delivered 2026-03-01 10:00 |',
    );

    expect(cachet.rejected).toEqual([]);
    expect(cachet.incidents).toEqual([
      {
        id: 1,
        name: 'Checkout down (INC-1)',
        status: 4,
        visible: true,
        stickied: false,
        message: 'Payments fail for some cards',
        updates: [
          { id: 2, status: 3, message: 'A fix is deployed' },
          { id: 3, status: 4, message: 'Payments work again' },
        ],
      },
    ]);
    const links = await bot.firebell.db.query<{ target: string; external_id: string; link: string }>(
      'select target, external_id, link from status_external_incidents order by target',
    );
    expect(links.rows).toEqual([
      { target: 'cachet', external_id: '1', link: `${cachet.url}/incidents/1` },
      { target: 'statuspage', external_id: sp!.id, link: sp!.shortlink },
    ]);
  });

  test("Statuspage's rate limit (420 or 429 with Retry-After) delays the update, which then arrives once", async () => {
    statuspage.rateLimitNext(1, '60', 420);
    statuspage.rateLimitNext(1, '60', 429);
    await bot.say('start Checkout down');
    await bot.say('status investigating Looking into it');
    await bot.deliverStatus();
    expect((await bot.say('show')).split('\n')).toContain('Status pages: cachet ✓ · statuspage ✗ retrying');
    bot.clock.advance('59s');
    await bot.deliverStatus();
    expect(statuspage.requests).toHaveLength(1);
    bot.clock.advance('1s');
    await bot.deliverStatus();
    bot.clock.advance('60s');
    await bot.deliverStatus();
    expect(statuspage.incidents.map((i) => i.incident_updates.map((u) => u.body))).toEqual([['Looking into it']]);
    expect(cachet.incidents).toHaveLength(1);
  });

  test('a create whose answer was lost is found by its INC-n name, not made twice', async () => {
    statuspage.loseNextAnswers(1);
    await bot.say('start Checkout down');
    await bot.say('status investigating Looking into it');
    await bot.deliverStatus();
    expect(statuspage.incidents).toHaveLength(1);
    await afterBackoff(1);
    await bot.say('status identified Found it');
    await bot.deliverStatus();
    expect(statuspage.incidents).toHaveLength(1);
    expect(statuspage.incidents[0]!.incident_updates.map((u) => u.body)).toEqual(['Found it', 'Looking into it']);
    expect(statuspage.requests.map((r) => `${r.method} ${r.query.get('q') ?? ''}`.trim())).toEqual(['POST', 'GET INC-1', 'PATCH']);
  });

  test('Cachet: a create and an update whose answers were lost are found again, not made twice', async () => {
    cachet.loseNextAnswers(1);
    await bot.say('start Checkout down');
    await bot.say('status investigating Looking into it');
    await bot.deliverStatus();
    expect(cachet.incidents).toHaveLength(1);
    await afterBackoff(1);
    expect(cachet.incidents.map((i) => [i.name, i.message])).toEqual([['Checkout down (INC-1)', 'Looking into it']]);

    cachet.loseNextAnswers(1);
    await bot.say('status identified Found it');
    await bot.deliverStatus();
    await afterBackoff(1);
    expect(cachet.incidents[0]!.updates.map((u) => u.message)).toEqual(['Found it']);
    expect((await bot.say('show')).split('\n')).toContain('Status pages: cachet ✓ · statuspage ✓');
  });

  test('an amendment whose answer was lost is not posted twice', async () => {
    await bot.say('start Checkout down');
    await bot.say('status investigating Looking into it');
    await bot.deliverStatus();
    statuspage.loseNextAnswers(1);
    await bot.say('status identified Found it');
    await bot.deliverStatus();
    await afterBackoff(1);
    expect(statuspage.incidents[0]!.incident_updates.map((u) => u.body)).toEqual(['Found it', 'Looking into it']);
  });

  test('Cachet failing its first requests gets every update once, in order; Statuspage is not held up meanwhile', async () => {
    cachet.failNext(2);
    await bot.say('start Checkout down');
    await bot.say('status investigating one');
    await bot.say('status monitoring two');
    await bot.deliverStatus();
    expect(statuspage.incidents[0]!.incident_updates.map((u) => u.body)).toEqual(['two', 'one']);
    expect(cachet.incidents).toEqual([]);
    // The latest update waits behind the first at Cachet.
    expect((await bot.say('show')).split('\n')).toContain('Status pages: cachet … waiting · statuspage ✓');
    await afterBackoff(3);
    expect(cachet.incidents.map((i) => [i.message, i.updates.map((u) => u.message)])).toEqual([['one', ['two']]]);
    expect((await bot.say('show')).split('\n')).toContain('Status pages: cachet ✓ · statuspage ✓');
  });

  test('a Cachet that stays down ends dead for each update; Statuspage gets them all', async () => {
    cachet.down(502);
    await bot.say('start Checkout down');
    await bot.say('status investigating one');
    await bot.say('status monitoring two');
    await bot.deliverStatus();
    await afterBackoff(25);
    expect(statuspage.incidents[0]!.incident_updates.map((u) => u.body)).toEqual(['two', 'one']);
    const states = await bot.firebell.db.query<{ target: string; state: string; attempts: number }>(
      'select target, state, attempts from status_deliveries order by target, id',
    );
    expect(states.rows).toEqual([
      { target: 'cachet', state: 'dead', attempts: 10 },
      { target: 'cachet', state: 'dead', attempts: 10 },
      { target: 'statuspage', state: 'delivered', attempts: 1 },
      { target: 'statuspage', state: 'delivered', attempts: 1 },
    ]);
  });
});
