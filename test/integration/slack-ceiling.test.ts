import { afterEach, beforeEach, expect, test } from 'vitest';
import { measureFakeSlackRoundTrip } from '../../bench/slack-ceiling.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.ts';

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack();
});

afterEach(async () => {
  await fake.stop();
});

test('the empty round trip is measured at 16 in flight, untouched by a Web API slowed to 2 s', async () => {
  fake.delayMs = 2_000;
  const r = await measureFakeSlackRoundTrip({ concurrency: 16, durationMs: 300, fake });
  expect(r.count).toBeGreaterThan(16);
  expect(r.p50Ms).toBeGreaterThan(0);
  expect(r.p50Ms).toBeLessThanOrEqual(r.p99Ms);
  expect(r.p99Ms).toBeLessThan(2_000);
  expect(fake.calls).toEqual([]);
});

test('without a fake of its own it starts one and stops it', async () => {
  const r = await measureFakeSlackRoundTrip({ concurrency: 2, durationMs: 100 });
  expect(r.count).toBeGreaterThan(2);
  expect(r.perSecond).toBeGreaterThan(0);
});
