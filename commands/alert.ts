import { z } from 'zod';
import { reply } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { MAX_TEXT_LENGTH } from '../src/core/model.ts';
import { MAX_FINGERPRINT_LENGTH, warningRef } from '../src/core/warning-model.ts';
import { recordFiring, recordResolved } from '../src/core/warnings.ts';

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
  async run(r, ctx) {
    if (r.status === 'resolved') {
      const w = await recordResolved(ctx, r);
      return reply.ok(w ? `${warningRef(w.id)} resolved` : 'nothing open with that fingerprint');
    }
    const { warning, change } = await recordFiring(ctx, r, ctx.warnings);
    if (warning.nextNagAt) ctx.nagDue(warning.nextNagAt);
    return reply.ok(`${warningRef(warning.id)} ${change === 'new' ? 'recorded' : 'fired again'}`);
  },
});
