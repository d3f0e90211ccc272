import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import type { Followup, Incident } from './model.ts';
import { parseCalendarDate } from './when.ts';

/** A due day is a calendar date: `2026-03-20`. */
export function parseDueDate(input: string): Result<string> {
  const date = parseCalendarDate(input);
  return date.ok ? ok(input) : fail('bad_date', `bad due date ${date.error.message.replace(/^bad date /, '')}`);
}

export async function addFollowup(
  ctx: CoreContext,
  incident: Incident,
  text: string,
  owner: string | null,
  dueOn: string | null,
): Promise<Result<Followup>> {
  const followup = await ctx.store.followups.insert({
    incidentId: incident.id,
    text,
    owner,
    dueOn,
    createdBy: ctx.actor.name,
    createdAt: ctx.now,
  });
  if (incident.closedAt) ctx.notify({ kind: 'postmortem_outdated', incidentId: incident.id });
  return ok(followup);
}
