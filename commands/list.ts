import { z } from 'zod';
import { incidentState, startedLine } from '../src/chat/describe.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';

export default defineVerb({
  name: 'list',
  usage: 'list',
  help: 'List the open incidents.',
  scope: 'global',
  writes: false,
  args: z.object({}),
  async run(_args, ctx) {
    const open = await ctx.store.incidents.listOpen();
    if (open.length === 0) return reply.ok('No incident is open.');
    return reply.ok(...open.map((i) => [strong(incidentState(i, ctx.now)), ` ${i.title} · ${startedLine(i)}`]));
  },
});
