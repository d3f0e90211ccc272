import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import { incidentRef, type Followup, type Incident } from './model.ts';
import { personKey, type Actor } from './people.ts';
import { parseCalendarDate } from './when.ts';
import { formatLocalDateTime } from './zone.ts';
import { zoneOf } from './incident-time.ts';

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

/** `F-4`. */
export function followupRef(id: number): string {
  return `F-${id}`;
}

/** `F-4`, `f4`, `#4`, `4` → 4; null when the word is not one. Nine digits at most: ids are Postgres ints. */
export function parseFollowupRef(word: string): number | null {
  const m = /^(?:f-?|#)?(\d{1,9})$/i.exec(word.trim());
  return m ? Number(m[1]) : null;
}

/**
 * `followup done F-n`: the action item is done, by whoever says so, now. Only one of this incident
 * (its F-number names one of another incident's, which the reply points to); done once.
 */
export async function markFollowupDone(ctx: CoreContext, incident: Incident, id: number): Promise<Result<Followup>> {
  const found = await ctx.store.followups.lock(id);
  if (!found) return fail('unknown_followup', `${followupRef(id)} does not exist: the postmortem's action items list them`);
  if (found.incidentId !== incident.id) {
    const owner = incidentRef(found.incidentId);
    return fail('unknown_followup', `${followupRef(id)} is a follow-up of ${owner}, not ${incidentRef(incident.id)}: \`followup ${owner} done ${followupRef(id)}\``);
  }
  if (found.doneAt) {
    const zone = zoneOf(incident);
    return fail('bad_argument', `${followupRef(id)} is already done (by ${found.doneBy}, ${formatLocalDateTime(found.doneAt, zone)} ${zone.name})`);
  }
  const done = await ctx.store.followups.markDone(id, ctx.now, ctx.actor.name, personKey(ctx.actor));
  // The draft written at close lists it as open: it is written again.
  if (incident.closedAt) ctx.notify({ kind: 'postmortem_outdated', incidentId: incident.id });
  return ok(done);
}
