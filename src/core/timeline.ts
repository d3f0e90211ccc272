import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import { resolveIncidentTime } from './incident-time.ts';
import { notifyIncidentUpdated } from './incident-notices.ts';
import { STATUS_STATES, type EntryKind, type Incident, type StatusState, type StatusUpdate, type TimelineEntry, type TypedEntryKind } from './model.ts';
import { personKey, type Actor } from './people.ts';
import type { When } from './when.ts';
import type { NewTimelineEntry } from '../store/store.ts';

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
  return ctx.store.timeline.insert(newEntry(ctx, incidentId, kind, text, occurredAt, author));
}

function newEntry(ctx: CoreContext, incidentId: number, kind: EntryKind, text: string, occurredAt: Date, author: Actor): NewTimelineEntry {
  const addedBy = author === ctx.actor ? null : ctx.actor;
  return {
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
  };
}

function noteClosedChange(ctx: CoreContext, incidentId: number, closedAt: Date | null): void {
  if (closedAt) ctx.notify({ kind: 'postmortem_outdated', incidentId });
}

/**
 * Typed entries (`log`, `action`…), written together: one statement for a run of them. A leading
 * time backdates an entry, read against the entries before it, so those are written first. Words
 * attributed to someone else (a pinned message) are recorded at the time they were written, by
 * their author.
 */
export async function recordEntries(
  items: readonly { ctx: CoreContext; incident: Incident; kind: TypedEntryKind; when: When | null; text: string }[],
): Promise<Result<TimelineEntry>[]> {
  const results: Result<TimelineEntry>[] = [];
  let unwritten: { index: number; entry: NewTimelineEntry }[] = [];
  const write = async () => {
    const store = items[0]?.ctx.store;
    if (!store || unwritten.length === 0) return;
    const written = await store.timeline.insertMany(unwritten.map((u) => u.entry));
    unwritten.forEach((u, k) => {
      results[u.index] = ok(written[k]!);
    });
    unwritten = [];
  };
  for (const [index, { ctx, incident, kind, when, text }] of items.entries()) {
    let occurredAt = ctx.attribution?.at ?? ctx.now;
    if (when) {
      await write();
      const resolved = await resolveIncidentTime(ctx, incident, when);
      if (!resolved.ok) {
        results[index] = resolved;
        continue;
      }
      occurredAt = resolved.value;
    }
    unwritten.push({ index, entry: newEntry(ctx, incident.id, kind, text, occurredAt, ctx.attribution?.author ?? ctx.actor) });
    noteClosedChange(ctx, incident.id, incident.closedAt);
  }
  await write();
  return results;
}

async function liveEntry(ctx: CoreContext, entryId: number): Promise<Result<{ entry: TimelineEntry; incident: Incident }>> {
  const entry = await ctx.store.timeline.get(entryId);
  if (!entry) return fail('unknown_entry', `entry #${entryId} does not exist`);
  if (entry.deletedAt) return fail('entry_deleted', `entry #${entryId} was already deleted`);
  const incident = await ctx.store.incidents.get(entry.incidentId);
  if (!incident) throw new Error(`entry #${entryId} belongs to a missing incident ${entry.incidentId}`);
  return ok({ entry, incident });
}

/** How a public status update reads on the timeline. */
export function statusEntryText(state: StatusState, message: string): string {
  return `Status ${state}: ${message}`;
}

const STATUS_PREFIX = new RegExp(`^\\s*status\\s+(${STATUS_STATES.join('|')})\\s*:`, 'i');

/**
 * The public message an edit of a status entry gives: the text typed, less a `Status <state>:`
 * copied from the timeline. The state stays what was announced; changing it takes a new update.
 */
function editedMessage(entryId: number, update: StatusUpdate, text: string): Result<string> {
  const prefix = STATUS_PREFIX.exec(text);
  if (!prefix) return ok(text);
  const state = prefix[1]!.toLowerCase();
  if (state !== update.state) {
    return fail('bad_argument', `entry #${entryId} is a ${update.state} update: edit changes its message only; post \`status ${state} …\` to change the state`);
  }
  const message = text.slice(prefix[0].length).trim();
  if (message === '') return fail('missing_argument', `entry #${entryId} needs a public message after "Status ${update.state}:"`);
  return ok(message);
}

/**
 * Corrects an entry's text; the original and who changed it stay on record. A status entry is its
 * public update as the timeline shows it: the text given is the update's new message.
 */
export async function editEntry(ctx: CoreContext, entryId: number, text: string): Promise<Result<TimelineEntry>> {
  const found = await liveEntry(ctx, entryId);
  if (!found.ok) return found;
  const { entry, incident } = found.value;
  const update = entry.kind === 'status' ? await ctx.store.statusUpdates.forEntry(incident.id, entryId) : null;
  let newText = text;
  let message: string | null = null;
  if (update) {
    const edited = editedMessage(entryId, update, text);
    if (!edited.ok) return edited;
    message = edited.value;
    newText = statusEntryText(update.state, message);
  }
  if (entry.text === newText) return fail('bad_argument', `entry #${entryId} already says that`);
  await ctx.store.timeline.revise({
    entryId,
    action: 'edit',
    previousText: entry.text,
    newText,
    changedBy: ctx.actor.name,
    changedById: personKey(ctx.actor),
    changedAt: ctx.now,
  });
  if (update && message !== null) {
    await ctx.store.statusUpdates.reword(incident.id, entryId, message);
    ctx.notify({ kind: 'status_revised', incident, updateId: update.id, message });
  }
  noteClosedChange(ctx, incident.id, incident.closedAt);
  return ok({ ...entry, text: newText });
}

/**
 * The state the standing updates leave an incident in, as postStatus sets it when they are posted
 * in order: the last one's state, resolved since the first of the resolved updates that end the list.
 */
function stateAfter(updates: readonly StatusUpdate[]): { state: StatusState; resolvedAt: Date | null } {
  let state: StatusState = 'investigating';
  let resolvedAt: Date | null = null;
  for (const u of [...updates].sort((a, b) => a.id - b.id)) {
    state = u.state;
    resolvedAt = u.state === 'resolved' ? (resolvedAt ?? u.postedAt) : null;
  }
  return { state, resolvedAt };
}

export interface DeletedEntry {
  entry: TimelineEntry;
  /** The state the incident is back in, when the entry was the status update that set its state. */
  stateNow: StatusState | null;
}

/**
 * Hides an entry from the timeline; it is kept, and listed among the postmortem's corrections. A
 * status entry takes its public update with it: the update leaves the status table (the row is
 * kept) and the incident's state becomes what the updates that stand say.
 */
export async function deleteEntry(ctx: CoreContext, entryId: number): Promise<Result<DeletedEntry>> {
  const found = await liveEntry(ctx, entryId);
  if (!found.ok) return found;
  const { entry, incident } = found.value;
  const update = entry.kind === 'status' ? await ctx.store.statusUpdates.forEntry(incident.id, entryId) : null;
  await ctx.store.timeline.revise({
    entryId,
    action: 'delete',
    previousText: entry.text,
    newText: null,
    changedBy: ctx.actor.name,
    changedById: personKey(ctx.actor),
    changedAt: ctx.now,
  });
  let stateNow: StatusState | null = null;
  if (entry.kind === 'status') {
    const after = stateAfter(await ctx.store.statusUpdates.list(incident.id));
    if (after.state !== incident.state || after.resolvedAt?.getTime() !== incident.resolvedAt?.getTime()) {
      await ctx.store.incidents.setState(incident.id, after.state, after.resolvedAt);
    }
    if (after.state !== incident.state) {
      stateNow = after.state;
      await notifyIncidentUpdated(ctx, { ...incident, ...after }, 'status');
    }
    if (update) ctx.notify({ kind: 'status_revised', incident: { ...incident, ...after }, updateId: update.id, message: null });
  }
  noteClosedChange(ctx, incident.id, incident.closedAt);
  return ok({ entry: { ...entry, deletedAt: ctx.now, deletedBy: ctx.actor.name, deletedById: personKey(ctx.actor) }, stateNow });
}
