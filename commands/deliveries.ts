import { z } from 'zod';
import { oneOf } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { DELIVERIES_SHOWN, retryDelivery, unsettledDeliveries } from '../src/core/deliveries.ts';
import { incidentRef } from '../src/core/model.ts';
import { stuckAt } from '../src/core/nag-policy.ts';
import { ALL_DELIVERED, describeDelivery } from '../src/status/describe-delivery.ts';

export default defineVerb({
  name: 'deliveries',
  usage: 'deliveries [retry <id>]',
  help: 'List status updates not yet delivered to the external status pages, and dead ones; `deliveries retry <id>` tries a dead one again.',
  scope: 'global',
  writes: true,
  words: ['action', 'id'],
  args: z.object({
    action: oneOf('action', ['retry']).optional(),
    id: z
      .string()
      .regex(/^#?\d{1,12}$/, { error: 'bad delivery id: use the number `deliveries` shows, e.g. 12' })
      .transform((v) => Number(v.replace('#', '')))
      .optional(),
  }),
  async run({ action, id }, ctx) {
    if (action === 'retry') {
      if (id === undefined) return reply.error('missing delivery id: `deliveries retry <id>`');
      const r = await retryDelivery(ctx, id);
      if (!r.ok) return reply.error(r.error.message);
      // A new stuck episode: it nags again if still pending then.
      ctx.nagDue(stuckAt(ctx.now));
      return reply.ok([`Delivery `, strong(`#${id}`), ` (${r.value.target}, ${incidentRef(r.value.incidentId)} ${r.value.updateState}) will be tried again now`]);
    }
    const all = await unsettledDeliveries(ctx);
    if (all.length === 0) return reply.ok(ALL_DELIVERED);
    const shown = all.slice(0, DELIVERIES_SHOWN);
    return reply.ok(
      ...shown.map((d) => [strong(`#${d.id}`), ` ${describeDelivery(d)}`]),
      ...(all.length > shown.length ? [`… and more; the oldest ${DELIVERIES_SHOWN} are shown`] : []),
    );
  },
});
