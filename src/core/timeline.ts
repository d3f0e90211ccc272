import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import { resolveIncidentTime } from './incident-time.ts';
import { type EntryKind, type Incident, type TimelineEntry, type TypedEntryKind } from './model.ts';
import { personKey, type Actor } from './people.ts';
import type { When } from './when.ts';

/**
 * An entry recorded now, about something that happened at occurredAt, by the command's actor or by
 * `author` (someone whose words the actor put on the timeline; the entry then says who added it).
 */
export function writeEntry(
  ctx: CoreContext,
  incidentId: number,
  kind: EntryKind,
  text: string,
  occurredAt = ctx.now,
  author: Actor = ctx.actor,
): Promise<TimelineEntry> {
  const addedBy = author === ctx.actor ? null : ctx.actor;
  return ctx.store.timeline.insert({
    incidentId,
    occurredAt,
    recordedAt: ctx.now,
    author: author.name,
    authorId: personKey(author),
    addedBy: addedBy?.name ?? null,
    addedById: addedBy ? personKey(addedBy) : null,
    kind,
    text,
    sourcePlatform: ctx.source.platform,
    sourceEventId: ctx.source.eventId,
  });
}

function noteClosedChange(ctx: CoreContext, incidentId: number, closedAt: Date | null): void {
  if (closedAt) ctx.notify({ kind: 'postmortem_outdated', incidentId });
}

/**
 * A typed entry (`log`, `action`…). A leading time backdates it; words attributed to someone else
 * (a pinned message) are recorded at the time they were written, by their author.
 */
export async function recordEntry(
  ctx: CoreContext,
  incident: Incident,
  kind: TypedEntryKind,
  when: When | null,
  text: string,
): Promise<Result<TimelineEntry>> {
  let occurredAt = ctx.attribution?.at ?? ctx.now;
  if (when) {
    const resolved = await resolveIncidentTime(ctx, incident, when);
    if (!resolved.ok) return resolved;
    occurredAt = resolved.value;
  }
  const entry = await writeEntry(ctx, incident.id, kind, text, occurredAt, ctx.attribution?.author ?? ctx.actor);
  noteClosedChange(ctx, incident.id, incident.closedAt);
  return ok(entry);
}

async function liveEntry(ctx: CoreContext, entryId: number): Promise<Result<{ entry: TimelineEntry; incident: Incident }>> {
  const entry = await ctx.store.timeline.get(entryId);
  if (!entry) return fail('unknown_entry', `entry #${entryId} does not exist`);
  if (entry.deletedAt) return fail('entry_deleted', `entry #${entryId} was already deleted`);
  const incident = await ctx.store.incidents.get(entry.incidentId);
  if (!incident) throw new Error(`entry #${entryId} belongs to a missing incident ${entry.incidentId}`);
  return ok({ entry, incident });
}

/** Corrects an entry's text; the original and who changed it stay on record. */
export async function editEntry(ctx: CoreContext, entryId: number, text: string): Promise<Result<TimelineEntry>> {
  const found = await liveEntry(ctx, entryId);
  if (!found.ok) return found;
  const { entry, incident } = found.value;
  if (entry.text === text) return fail('bad_argument', `entry #${entryId} already says that`);
  await ctx.store.timeline.revise({
    entryId,
    action: 'edit',
    previousText: entry.text,
    newText: text,
    changedBy: ctx.actor.name,
    changedById: personKey(ctx.actor),
    changedAt: ctx.now,
  });
  noteClosedChange(ctx, incident.id, incident.closedAt);
  return ok({ ...entry, text });
}

/** Hides an entry from the timeline; it is kept, and listed among the postmortem's corrections. */
export async function deleteEntry(ctx: CoreContext, entryId: number): Promise<Result<TimelineEntry>> {
  const found = await liveEntry(ctx, entryId);
  if (!found.ok) return found;
  const { entry, incident } = found.value;
  await ctx.store.timeline.revise({
    entryId,
    action: 'delete',
    previousText: entry.text,
    newText: null,
    changedBy: ctx.actor.name,
    changedById: personKey(ctx.actor),
    changedAt: ctx.now,
  });
  noteClosedChange(ctx, incident.id, incident.closedAt);
  return ok({ ...entry, deletedAt: ctx.now, deletedBy: ctx.actor.name, deletedById: personKey(ctx.actor) });
}
