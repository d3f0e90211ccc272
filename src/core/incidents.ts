import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import { incidentRef, type Incident, type Role, type StatusState } from './model.ts';
import { resolveIncidentTime, zoneOf } from './incident-time.ts';
import { notifyIncidentUpdated } from './incident-notices.ts';
import { personKey, type Actor } from './people.ts';
import { statusEntryText, writeEntry } from './timeline.ts';
import { resolveWhen, type When } from './when.ts';
import { formatLocalDateTime, parseZone } from './zone.ts';

export interface OpenIncidentInput {
  title: string;
  severity: number;
  at: When | null;
  timeZone: string | null;
}

export async function openIncident(ctx: CoreContext, input: OpenIncidentInput): Promise<Result<Incident>> {
  let zone = ctx.defaultZone;
  if (input.timeZone !== null) {
    const parsed = parseZone(input.timeZone);
    if (!parsed.ok) return parsed;
    zone = parsed.value;
  }
  let startedAt = ctx.now;
  if (input.at) {
    const at = resolveWhen(input.at, { zone, anchor: ctx.now, now: ctx.now });
    if (!at.ok) return at;
    startedAt = at.value;
  }
  const incident = await ctx.store.incidents.insert({
    title: input.title,
    severity: input.severity,
    timeZone: zone.name,
    startedAt,
    openedBy: ctx.actor.name,
    openedById: personKey(ctx.actor),
    openedAt: ctx.now,
    sourcePlatform: ctx.source.platform,
    sourceChannel: ctx.source.channelId,
  });
  await writeEntry(ctx, incident.id, 'opened', `Incident opened: ${input.title} (SEV${input.severity})`, startedAt);
  ctx.notify({
    kind: 'incident_opened',
    incident,
    opener: ctx.actor,
    origin: { platform: ctx.source.platform, channelId: ctx.source.channelId },
  });
  return ok(incident);
}

const INCIDENT_REF = /^inc-?(\d{1,9})$/i;

/** `INC-12`, `inc12`, `12`… as a user may type a reference; null when it is not one. */
export function parseIncidentRef(word: string): number | null {
  const m = INCIDENT_REF.exec(word);
  return m ? Number(m[1]) : null;
}

function describeOpen(open: readonly Incident[]): string {
  return open.map((i) => `${incidentRef(i.id)} ${i.title}`).join('; ');
}

/**
 * Which incident a command applies to: an explicit INC-n; else the incident of the channel it was
 * typed in; else the only open incident; else an error that lists the open ones.
 */
export async function findIncident(ctx: CoreContext, explicitId: number | null, verb: string): Promise<Result<Incident>> {
  const [found] = await findIncidents([{ ctx, explicitId }], verb);
  return found!;
}

/** The same for several commands of one verb, in their order, with a query or two for them all. */
export async function findIncidents(
  requests: readonly { ctx: CoreContext; explicitId: number | null }[],
  verb: string,
): Promise<Result<Incident>[]> {
  const store = requests[0]?.ctx.store;
  if (!store) return [];
  const ids = [...new Set(requests.flatMap((r) => (r.explicitId !== null ? [r.explicitId] : [])))];
  const named = new Map((await store.incidents.getMany(ids)).map((i) => [i.id, i]));
  const byChannel = requests.filter((r) => r.explicitId === null).map((r) => ({ platform: r.ctx.source.platform, channelId: r.ctx.source.channelId }));
  const candidates = byChannel.length > 0 ? await store.incidents.candidatesForMany(byChannel) : [];
  let nextCandidates = 0;
  return requests.map(({ explicitId }) => {
    if (explicitId !== null) {
      const incident = named.get(explicitId);
      return incident ? ok(incident) : fail('unknown_incident', `${incidentRef(explicitId)} does not exist`);
    }
    const { linked, open } = candidates[nextCandidates++]!;
    return chooseIncident(linked, open, verb);
  });
}

function chooseIncident(linked: Incident | null, open: readonly Incident[], verb: string): Result<Incident> {
  if (linked) return ok(linked);
  const only = open[0];
  if (open.length === 1 && only) return ok(only);
  if (open.length === 0) return fail('no_open_incident', 'no incident is open: start one with `start <title>`');
  return fail(
    'ambiguous_incident',
    `${open.length} incidents are open (${describeOpen(open)}): name one first, e.g. \`${verb} ${incidentRef(open[0]!.id)} …\``,
  );
}

/**
 * The incident as committed now, held for the rest of the transaction, provided it is still open.
 * A change that reads the incident's state to write it (`sev` records "from SEV3") starts here, so
 * two channels changing one incident at once take turns and the second sees the first's change.
 */
async function lockOpen(ctx: CoreContext, snapshot: Incident): Promise<Result<Incident>> {
  const incident = await ctx.store.incidents.lock(snapshot.id);
  if (!incident) throw new Error(`${incidentRef(snapshot.id)} disappeared while a command ran`);
  return incident.closedAt
    ? fail('incident_closed', `${incidentRef(incident.id)} is closed; only timeline entries and follow-ups can still be added`)
    : ok(incident);
}

export async function changeSeverity(ctx: CoreContext, snapshot: Incident, severity: number): Promise<Result<Incident>> {
  const open = await lockOpen(ctx, snapshot);
  if (!open.ok) return open;
  const incident = open.value;
  if (incident.severity === severity) {
    return fail('bad_argument', `${incidentRef(incident.id)} is already SEV${severity}`);
  }
  await ctx.store.incidents.setSeverity(incident.id, severity);
  await writeEntry(ctx, incident.id, 'severity', `Severity changed from SEV${incident.severity} to SEV${severity}`);
  const changed = { ...incident, severity };
  await notifyIncidentUpdated(ctx, changed, 'severity');
  return ok(changed);
}

export async function assignRole(ctx: CoreContext, snapshot: Incident, role: Role, holder: Actor): Promise<Result<Incident>> {
  const open = await lockOpen(ctx, snapshot);
  if (!open.ok) return open;
  const incident = open.value;
  await ctx.store.roles.assign(incident.id, {
    role,
    holder: holder.name,
    holderId: personKey(holder),
    assignedBy: ctx.actor.name,
    assignedById: personKey(ctx.actor),
    assignedAt: ctx.now,
  });
  await writeEntry(ctx, incident.id, 'role', `${holder.name} is ${role}`);
  await notifyIncidentUpdated(ctx, incident, 'role');
  return ok(incident);
}

export async function postStatus(
  ctx: CoreContext,
  snapshot: Incident,
  state: StatusState,
  message: string,
  occurredAt = ctx.now,
): Promise<Result<Incident>> {
  const open = await lockOpen(ctx, snapshot);
  if (!open.ok) return open;
  const incident = open.value;
  const entry = await writeEntry(ctx, incident.id, 'status', statusEntryText(state, message), occurredAt);
  const update = await ctx.store.statusUpdates.insert({
    incidentId: incident.id,
    state,
    message,
    author: ctx.actor.name,
    authorId: personKey(ctx.actor),
    postedAt: occurredAt,
    entryId: entry.id,
  });
  // In the same transaction as the update: it reaches every external target, or none knows of it.
  await ctx.store.statusDeliveries.enqueue(update.id, incident.id, ctx.now);
  // A later "resolved" update (a final all-clear) does not move when the incident was resolved.
  const resolvedAt = state === 'resolved' ? (incident.resolvedAt ?? occurredAt) : null;
  await ctx.store.incidents.setState(incident.id, state, resolvedAt);
  const changed = { ...incident, state, resolvedAt };
  await notifyIncidentUpdated(ctx, changed, 'status');
  ctx.notify({ kind: 'status_posted', incident: changed, update: { id: update.id, key: ctx.source.eventId, state, message, postedAt: occurredAt } });
  return ok(changed);
}

export const DEFAULT_RESOLVED_MESSAGE = 'This incident has been resolved.';

/** `resolve [<time>] [<public message>]`: the status becomes resolved, backdated if a time is given. */
export async function resolveIncident(
  ctx: CoreContext,
  snapshot: Incident,
  when: When | null,
  message: string,
): Promise<Result<Incident>> {
  const open = await lockOpen(ctx, snapshot);
  if (!open.ok) return open;
  const incident = open.value;
  if (incident.state === 'resolved') {
    return fail('bad_argument', `${incidentRef(incident.id)} is already resolved; \`close\` it to export the postmortem`);
  }
  let at = ctx.now;
  if (when) {
    const resolved = await resolveIncidentTime(ctx, incident, when);
    if (!resolved.ok) return resolved;
    at = resolved.value;
    if (at < incident.startedAt) {
      const zone = zoneOf(incident);
      return fail('bad_time', `${when.text} is before ${incidentRef(incident.id)} started (${formatLocalDateTime(incident.startedAt, zone)} ${zone.name})`);
    }
  }
  return postStatus(ctx, incident, 'resolved', message || DEFAULT_RESOLVED_MESSAGE, at);
}

export async function closeIncident(ctx: CoreContext, snapshot: Incident): Promise<Result<Incident>> {
  const open = await lockOpen(ctx, snapshot);
  if (!open.ok) return open;
  const incident = open.value;
  await ctx.store.incidents.close(incident.id, ctx.now);
  await writeEntry(ctx, incident.id, 'closed', 'Incident closed');
  const closed = { ...incident, closedAt: ctx.now };
  ctx.notify({ kind: 'incident_closed', incident: closed });
  return ok(closed);
}
