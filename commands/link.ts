import { z } from 'zod';
import { reply } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { linkChannel } from '../src/core/channels.ts';
import { incidentRef } from '../src/core/model.ts';

/**
 * An adapter made or found the incident's channel (the shell moved into it, Slack created it, IRC
 * joined it): remember it, so commands typed there apply to that incident. Idempotent and
 * journaled like every other change.
 */
export default defineVerb({
  name: 'link',
  usage: 'link',
  help: 'Link the channel this is sent from to an incident (adapters only).',
  scope: 'global',
  writes: true,
  internal: true,
  args: z.object({ incidentId: z.number().int().positive(), anchor: z.string().min(1).max(200).optional() }),
  payload: z.object({ incidentId: z.number().int().positive(), anchor: z.string().min(1).max(200).optional() }),
  async run({ incidentId, anchor }, ctx) {
    const r = await linkChannel(ctx, incidentId, anchor ?? null);
    if (!r.ok) return reply.error(r.error.message);
    return reply.ok(`This channel now belongs to ${incidentRef(incidentId)}.`);
  },
});
