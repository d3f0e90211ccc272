import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plainLines } from '../src/chat/reply.ts';
import type { Firebell } from '../src/main.ts';
import { percentile } from './stats.ts';

export interface SiteResult {
  p50Ms: number;
  p99Ms: number;
  ceilingP50Ms: number;
  ceilingP99Ms: number;
  /** The size of index.html at the end: the ceiling writes a file this large. */
  bytes: number;
}

let eventCounter = 0;

function invocation(verb: string, text: string) {
  return {
    verb,
    text,
    actor: { platform: 'bench', id: 'bench', name: 'bench' },
    channel: { platform: 'bench', id: 'lobby' },
    eventId: `bench-site-${process.pid}-${eventCounter++}`,
    receivedAt: new Date(),
  };
}

async function say(bot: Firebell, verb: string, text: string): Promise<string> {
  const reply = await bot.router.dispatch(invocation(verb, text));
  const lines = plainLines(reply).join(' ');
  if (reply.tone !== 'ok') throw new Error(`${verb} failed: ${lines}`);
  return lines;
}

/** `incidents` active incidents, each with a first update, so the page carries them all. */
export async function fillStatusSite(bot: Firebell, incidents: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < incidents; i++) {
    const id = Number(/INC-(\d+)/.exec(await say(bot, 'start', `Bench incident ${i} --sev ${(i % 4) + 1}`))?.[1]);
    await say(bot, 'status', `INC-${id} investigating We are looking into elevated error rates on service ${i}.`);
    ids.push(id);
  }
  await bot.outbox.drain();
  await bot.statusSite.written();
  return ids;
}

/**
 * From a `status` command's reply to the static site's files replaced (the notice outbox delivers
 * the update to the site, which rewrites index.html, status.json, feed.atom and the incident's
 * page), `updates` times round the incidents; interleaved with the ceiling: writing one file of
 * index.html's size to a temp name and renaming it over the old one.
 */
export async function measureStatusSite(bot: Firebell, ids: readonly number[], updates: number): Promise<SiteResult> {
  const dir = bot.statusSite.dir;
  const ceilingPath = join(dir, 'ceiling.html');
  const latencies: number[] = [];
  const ceilings: number[] = [];
  const states = ['identified', 'monitoring', 'investigating'];
  for (let i = 0; i < updates; i++) {
    const page = await readFile(join(dir, 'index.html'));
    const c0 = performance.now();
    await writeFile(`${ceilingPath}.tmp`, page);
    await rename(`${ceilingPath}.tmp`, ceilingPath);
    ceilings.push(performance.now() - c0);

    const id = ids[i % ids.length]!;
    await say(bot, 'status', `INC-${id} ${states[i % states.length]} Update ${i}: the fix is rolling out region by region.`);
    const t0 = performance.now();
    await bot.outbox.drain();
    await bot.statusSite.written();
    latencies.push(performance.now() - t0);
  }
  const bytes = (await stat(join(dir, 'index.html'))).size;
  return {
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ceilingP50Ms: percentile(ceilings, 0.5),
    ceilingP99Ms: percentile(ceilings, 0.99),
    bytes,
  };
}
