import { RawIrcClient } from '../test/support/irc-client.ts';
import { Ngircd } from '../test/support/ngircd.ts';
import { percentile } from './stats.ts';

export interface RoundTrip {
  p50Ms: number;
  p99Ms: number;
  count: number;
}

/**
 * The ceiling for any IRC reply: ngircd's own PING→PONG round trip over loopback, one after
 * another, from a raw client on `port`. firebell's `!log`→reply round trip is printed beside it.
 */
export async function measurePingRoundTrip(port: number, pings: number): Promise<RoundTrip> {
  const client = await RawIrcClient.connect(port, `bench${process.pid % 100_000}`);
  try {
    const latencies: number[] = [];
    for (let i = 0; i < pings; i++) {
      const token = `bench-${i}`;
      const t0 = performance.now();
      client.send(`PING :${token}`);
      await client.waitFor((l) => l.command === 'PONG' && l.params.at(-1) === token, { what: `PONG ${token}` });
      latencies.push(performance.now() - t0);
    }
    return { p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), count: latencies.length };
  } finally {
    await client.quit();
  }
}

/** The same on an ngircd started for the measurement (and stopped after it). */
export async function measureNgircdCeiling(pings: number): Promise<RoundTrip> {
  const server = await Ngircd.start();
  try {
    return await measurePingRoundTrip(server.port, pings);
  } finally {
    await server.stop();
  }
}
