import { z } from 'zod';
import { oneOf } from '../src/chat/arguments.ts';
import { reply } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { incidentRef } from '../src/core/model.ts';
import { POSTMORTEM_FORMATS, exportPostmortem } from '../src/postmortem/export.ts';

export default defineVerb({
  name: 'postmortem',
  usage: 'postmortem [INC-n] [--format md|json]',
  help: 'Export the postmortem draft now, at any point of the incident.',
  scope: 'incident',
  writes: false,
  flags: { format: 'word' },
  args: z.object({ format: oneOf('format', POSTMORTEM_FORMATS, { markdown: 'md' }).default('md') }),
  async run({ format }, ctx) {
    const record = await ctx.loadRecord(ctx.incident.id);
    if (!record) return reply.error(`${incidentRef(ctx.incident.id)} does not exist`);
    const file = exportPostmortem(record, format, ctx.now);
    const where = ctx.postmortems.url(ctx.incident.id, format);
    return { ...reply.ok(`Postmortem draft for ${incidentRef(ctx.incident.id)}${where ? `: ${where}` : ''}`), attachment: file };
  },
});
