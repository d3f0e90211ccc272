import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import type { Followup, Incident } from './model.ts';

const DUE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A due day is a calendar date: `2026-03-20`. */
export function parseDueDate(input: string): Result<string> {
  const m = DUE_DATE.exec(input);
  if (!m) return fail('bad_date', `bad due date "${input}": use YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return fail('bad_date', `bad due date "${input}": no such day`);
  }
  return ok(input);
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
