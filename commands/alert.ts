import { z } from 'zod';
import { reply } from '../src/chat/reply.ts';
import type { Reply } from '../src/chat/types.ts';
import { defineVerb, type VerbContext } from '../src/chat/verb.ts';
import { MAX_TEXT_LENGTH } from '../src/core/model.ts';
import { MAX_FINGERPRINT_LENGTH, warningRef } from '../src/core/warning-model.ts';
import { recordFiring, recordFirings, recordResolved, type FiringChange } from '../src/core/warnings.ts';
import type { Warning } from '../src/core/warning-model.ts';

const report = z.object({
  fingerprint: z.string().min(1).max(MAX_FINGERPRINT_LENGTH),
  summary: z.string().min(1).max(MAX_TEXT_LENGTH),
  severity: z.string().max(100).nullable(),
  owner: z.string().max(200).nullable(),
  labels: z.record(z.string(), z.string()),
  generatorUrl: z.string().max(2000).nullable(),
  status: z.enum(['firing', 'resolved']),
  at: z.coerce.date().nullable(),
});

type Report = z.output<typeof report>;

function firedReply(warning: Warning, change: FiringChange): Reply {
  return reply.ok(`${warningRef(warning.id)} ${change === 'new' ? 'recorded' : 'fired again'}`);
}

async function recordOne(r: Report, ctx: VerbContext): Promise<Reply> {
  if (r.status === 'resolved') {
    const w = await recordResolved(ctx, r);
    return reply.ok(w ? `${warningRef(w.id)} resolved` : 'nothing open with that fingerprint');
  }
  const { warning, change } = await recordFiring(ctx, r, ctx.warnings);
  if (warning.nextNagAt) ctx.nagDue(warning.nextNagAt);
  return firedReply(warning, change);
}

/**
 * A batch of alerts (an Alertmanager group): the firings of warnings that appear once in the batch
 * are recorded together, in a few statements; the rest one by one, in order. Order only matters
 * within one fingerprint, and those share nothing with the firings recorded together.
 */
async function recordMany(items: readonly { args: Report; ctx: VerbContext }[]): Promise<Reply[]> {
  const seen = new Map<string, number>();
  for (const { args } of items) seen.set(args.fingerprint, (seen.get(args.fingerprint) ?? 0) + 1);
  const together = items.flatMap((item, i) => (item.args.status === 'firing' && seen.get(item.args.fingerprint) === 1 ? [i] : []));
  const replies = new Array<Reply>(items.length);
  const first = items[0];
  if (first && together.length > 0) {
    const fired = await recordFirings(
      first.ctx.store,
      together.map((i) => ({ report: items[i]!.args, now: items[i]!.ctx.now })),
      first.ctx.warnings,
    );
    fired.forEach(({ warning, change }, k) => {
      const { ctx } = items[together[k]!]!;
      if (warning.nextNagAt) ctx.nagDue(warning.nextNagAt);
      replies[together[k]!] = firedReply(warning, change);
    });
  }
  for (const [i, { args, ctx }] of items.entries()) replies[i] ??= await recordOne(args, ctx);
  return replies;
}

/**
 * A warning firing or resolving, sent by the hooks (Alertmanager, the generic JSON hook) as a
 * payload: through the executor like every change, so a database outage journals it.
 */
export default defineVerb({
  name: 'alert',
  usage: 'alert',
  help: 'Record a warning firing or resolving (the hooks only).',
  scope: 'global',
  writes: true,
  internal: true,
  args: report,
  payload: report,
  run: recordOne,
  runMany: recordMany,
});
