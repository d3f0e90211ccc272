import { z } from 'zod';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { incidentRef } from '../src/core/model.ts';
import { deleteEntry } from '../src/core/timeline.ts';

/**
 * Takes back what an adapter put on the timeline for someone (Slack: the timeline emoji removed from
 * a message): the entry recorded under that key is deleted, audited like `delete`.
 */
export default defineVerb({
  name: 'unpin',
  usage: 'unpin',
  help: 'Take an entry an adapter recorded off the timeline again (adapters only).',
  scope: 'global',
  writes: true,
  internal: true,
  args: z.object({ key: z.string().min(1).max(300) }),
  payload: z.object({ key: z.string().min(1).max(300) }),
  async run({ key }, ctx) {
    const entry = await ctx.store.timeline.findBySource(ctx.source.platform, key);
    if (!entry) return reply.error('that message is not on the timeline');
    const r = await deleteEntry(ctx, entry.id);
    if (!r.ok) return reply.error(r.error.message);
    return reply.ok(['Entry ', strong(`#${entry.id}`), ` taken off ${incidentRef(entry.incidentId)}'s timeline (it was: ${entry.text})`]);
  },
});
