import { startFakeSlack, type FakeSlack } from '../test/support/fake-slack/index.ts';
import type { PathResult } from './command-path.ts';
import { percentile } from './stats.ts';

/**
 * The ceiling beside Slack slash-command ack latency: an empty POST to the local fake Slack (a
 * bare node:http server on loopback) and its answer, `concurrency` in flight, sent with fetch as
 * postToBolt sends a signed command to Bolt. An ack cannot come back faster than this. The fake's
 * `delayMs` does not apply to it, so the figure stands beside a Web API slowed to 2 s per call.
 * Pass the bench's own fake to measure that one; otherwise one is started and stopped here.
 */
export async function measureFakeSlackRoundTrip(opts: { concurrency: number; durationMs: number; fake?: FakeSlack }): Promise<PathResult> {
  const fake = opts.fake ?? (await startFakeSlack());
  const url = `${fake.url}/empty`;
  const roundTrip = async () => {
    const res = await fetch(url, { method: 'POST', body: '' });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`fake slack answered ${res.status} to an empty request`);
  };
  try {
    // Warm-up: open the connections the measured requests will reuse.
    await Promise.all(Array.from({ length: opts.concurrency }, roundTrip));
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + opts.durationMs;
    const worker = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await roundTrip();
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const elapsed = performance.now() - started;
    return { perSecond: (latencies.length / elapsed) * 1000, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), count: latencies.length };
  } finally {
    if (!opts.fake) await fake.stop();
  }
}
