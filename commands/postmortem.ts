import { z } from 'zod';
import { oneOf } from '../src/chat/arguments.ts';
import { code, reply } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { incidentRef } from '../src/core/model.ts';
import { POSTMORTEM_FORMATS, attachablePostmortem, postmortemFilename } from '../src/postmortem/export.ts';

/**
 * Largest draft attached to the reply. A larger one (an incident of tens of thousands of entries)
 * is never built in memory for chat: its link and `firebell export` stream it.
 */
export const MAX_ATTACHED_DRAFT_BYTES = 5 * 1024 * 1024;

export default defineVerb({
  name: 'postmortem',
  usage: 'postmortem [INC-n] [--format md|json]',
  help: 'Export the postmortem draft now, at any point of the incident.',
  scope: 'incident',
  writes: false,
  flags: { format: 'word' },
  args: z.object({ format: oneOf('format', POSTMORTEM_FORMATS, { markdown: 'md' }).default('md') }),
  async run({ format }, ctx) {
    const ref = incidentRef(ctx.incident.id);
    const pages = await ctx.openRecord(ctx.incident.id);
    if (!pages) return reply.error(`${ref} does not exist`);
    const file = await attachablePostmortem(pages, format, ctx.now, MAX_ATTACHED_DRAFT_BYTES);
    const where = ctx.postmortems.url(ctx.incident.id, format);
    const said = `Postmortem draft for ${ref}${where ? `: ${where}` : ''}`;
    if (file) return { ...reply.ok(said), attachment: file };
    const command = `firebell export ${ref} --format ${format} --out ${postmortemFilename(ctx.incident.id, format)}`;
    return reply.ok(said, [`It is over ${MAX_ATTACHED_DRAFT_BYTES / (1024 * 1024)} MB, too large to attach here: ${where ? 'open the link, or ' : ''}run `, code(command)]);
  },
});
