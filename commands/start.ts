import { z } from 'zod';
import { freeText, severity, when } from '../src/chat/arguments.ts';
import { startedLine } from '../src/chat/describe.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { openIncident } from '../src/core/incidents.ts';
import { DEFAULT_SEVERITY, MAX_TITLE_LENGTH, incidentRef } from '../src/core/model.ts';

export default defineVerb({
  name: 'start',
  usage: 'start <title> [--sev 1-4] [--at <time>] [--tz <zone>]',
  help: `Open an incident. --sev defaults to ${DEFAULT_SEVERITY}; --at backdates its start; --tz sets the zone its timeline is shown in (an IANA name like Europe/Berlin, or MST, UTC…).`,
  scope: 'global',
  writes: true,
  rest: 'title',
  flags: { sev: 'word', at: 'time', tz: 'word' },
  args: z.object({
    title: freeText('title', MAX_TITLE_LENGTH),
    sev: severity.optional(),
    at: when.optional(),
    tz: z.string().optional(),
  }),
  // A form filled in instead of typed (Slack's start modal): a title with `--sev` in it stays a title.
  payload: z.object({ title: freeText('title', MAX_TITLE_LENGTH), sev: severity.optional() }),
  async run({ title, sev, at, tz }, ctx) {
    const severityLevel = sev ?? DEFAULT_SEVERITY;
    const r = await openIncident(ctx, { title, severity: severityLevel, at: at ?? null, timeZone: tz ?? null });
    if (!r.ok) return reply.error(r.error.message);
    // The scheduler plans the commander's first status reminder now, not at its next look.
    ctx.nagDue(ctx.now);
    return { ...reply.ok([strong(incidentRef(r.value.id)), ` opened: ${title} · SEV${severityLevel} · ${startedLine(r.value, at ?? null)}`]), opened: r.value.id };
  },
});
