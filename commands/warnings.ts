import { z } from 'zod';
import { warningLine } from '../src/chat/describe-warning.ts';
import { reply } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';

export default defineVerb({
  name: 'warnings',
  usage: 'warnings',
  help: 'List the open warnings with their age, fire count, nag count and owner; habitually ignored ones first.',
  scope: 'global',
  writes: false,
  args: z.object({}),
  async run(_args, ctx) {
    const open = await ctx.store.warnings.listOpen();
    if (open.length === 0) return reply.ok('No warning is open.');
    return reply.ok(...open.map((w) => warningLine(w, ctx.now, ctx.defaultZone)));
  },
});
