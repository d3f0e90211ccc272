import { z } from 'zod';
import { duration, warningId } from '../src/chat/arguments.ts';
import { reply, strong } from '../src/chat/reply.ts';
import { defineVerb } from '../src/chat/verb.ts';
import { formatDuration } from '../src/core/duration.ts';
import { warningRef } from '../src/core/warning-model.ts';
import { snoozeWarning } from '../src/core/warnings.ts';
import { formatLocalTime } from '../src/core/zone.ts';

/** Longer than this is an ack in disguise. */
const MAX_SNOOZE_MS = 7 * 86_400_000;

export default defineVerb({
  name: 'snooze',
  usage: 'snooze <W-n> <duration>',
  help: 'Pause the nags about a warning for a while (30m, 2h, 1d); they carry on afterwards.',
  scope: 'global',
  writes: true,
  words: ['warning', 'duration'],
  args: z.object({
    warning: warningId,
    duration: duration.refine((ms) => ms <= MAX_SNOOZE_MS, { error: 'a snooze may last at most 7d: ack the warning instead' }),
  }),
  async run({ warning, duration: ms }, ctx) {
    const r = await snoozeWarning(ctx, warning, ms, ctx.warnings.policy);
    if (!r.ok) return reply.error(r.error.message);
    if (r.value.nextNagAt) ctx.nagDue(r.value.nextNagAt);
    const until = new Date(ctx.now.getTime() + ms);
    return reply.ok([strong(warningRef(warning)), ` snoozed for ${formatDuration(ms)}, until ${formatLocalTime(until, ctx.defaultZone)}`]);
  },
});
