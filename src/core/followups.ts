import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import type { Followup, Incident } from './model.ts';
import { personKey, type Actor } from './people.ts';
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
  owner: Actor | null,
  dueOn: string | null,
): Promise<Result<Followup>> {
  const followup = await ctx.store.followups.insert({
    incidentId: incident.id,
    text,
    owner: owner?.name ?? null,
    ownerId: owner ? personKey(owner) : null,
    dueOn,
    createdBy: ctx.actor.name,
    createdById: personKey(ctx.actor),
    createdAt: ctx.now,
  });
  if (incident.closedAt) ctx.notify({ kind: 'postmortem_outdated', incidentId: incident.id });
  return ok(followup);
}
