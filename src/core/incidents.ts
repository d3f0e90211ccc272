import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import { incidentRef, type Incident, type Role, type StatusState } from './model.ts';
import { resolveIncidentTime, zoneOf } from './incident-time.ts';
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
    openedAt: ctx.now,
    sourcePlatform: ctx.source.platform,
    sourceChannel: ctx.source.channelId,
  });
  await writeEntry(ctx, incident.id, 'opened', `Incident opened: ${input.title} (SEV${input.severity})`, startedAt);
  ctx.notify({ kind: 'incident_opened', incident, origin: { platform: ctx.source.platform, channelId: ctx.source.channelId } });
  return ok(incident);
}

const INCIDENT_REF = /^inc-?(\d{1,9})$/i;

/** `INC-12`, `inc12`, `12`… as a user may type a reference; null when it is not one. */
export function parseIncidentRef(word: string): number | null {
  const m = INCIDENT_REF.exec(word);
  return m ? Number(m[1]) : null;
}

function describeOpen(open: Incident[]): string {
  return open.map((i) => `${incidentRef(i.id)} ${i.title}`).join('; ');
}

/**
 * Which incident a command applies to: an explicit INC-n; else the incident of the channel it was
 * typed in; else the only open incident; else an error that lists the open ones.
 */
export async function findIncident(ctx: CoreContext, explicitId: number | null, verb: string): Promise<Result<Incident>> {
  if (explicitId !== null) {
    const incident = await ctx.store.incidents.get(explicitId);
    return incident ? ok(incident) : fail('unknown_incident', `${incidentRef(explicitId)} does not exist`);
  }
  const { linked, open } = await ctx.store.incidents.candidatesFor(ctx.source.platform, ctx.source.channelId);
  if (linked) return ok(linked);
  const only = open[0];
  if (open.length === 1 && only) return ok(only);
  if (open.length === 0) return fail('no_open_incident', 'no incident is open: start one with `start <title>`');
  return fail(
    'ambiguous_incident',
    `${open.length} incidents are open (${describeOpen(open)}): name one first, e.g. \`${verb} ${incidentRef(open[0]!.id)} …\``,
  );
}

function requireOpen(incident: Incident): Result<Incident> {
  return incident.closedAt
    ? fail('incident_closed', `${incidentRef(incident.id)} is closed; only timeline entries and follow-ups can still be added`)
    : ok(incident);
}

export async function changeSeverity(ctx: CoreContext, incident: Incident, severity: number): Promise<Result<Incident>> {
  const open = requireOpen(incident);
  if (!open.ok) return open;
  if (incident.severity === severity) {
    return fail('bad_argument', `${incidentRef(incident.id)} is already SEV${severity}`);
  }
  await ctx.store.incidents.setSeverity(incident.id, severity);
  await writeEntry(ctx, incident.id, 'severity', `Severity changed from SEV${incident.severity} to SEV${severity}`);
  return ok({ ...incident, severity });
}

export async function assignRole(ctx: CoreContext, incident: Incident, role: Role, holder: string): Promise<Result<Incident>> {
  const open = requireOpen(incident);
  if (!open.ok) return open;
  await ctx.store.roles.assign(incident.id, { role, holder, assignedBy: ctx.actor.name, assignedAt: ctx.now });
  await writeEntry(ctx, incident.id, 'role', `${holder} is ${role}`);
  return ok(incident);
}

export async function postStatus(
  ctx: CoreContext,
  incident: Incident,
  state: StatusState,
  message: string,
  occurredAt = ctx.now,
): Promise<Result<Incident>> {
  const open = requireOpen(incident);
  if (!open.ok) return open;
  const entry = await writeEntry(ctx, incident.id, 'status', statusEntryText(state, message), occurredAt);
  await ctx.store.statusUpdates.insert({
    incidentId: incident.id,
    state,
    message,
    author: ctx.actor.name,
    postedAt: occurredAt,
    entryId: entry.id,
  });
  // A later "resolved" update (a final all-clear) does not move when the incident was resolved.
  const resolvedAt = state === 'resolved' ? (incident.resolvedAt ?? occurredAt) : null;
  await ctx.store.incidents.setState(incident.id, state, resolvedAt);
  return ok({ ...incident, state, resolvedAt });
}

export const DEFAULT_RESOLVED_MESSAGE = 'This incident has been resolved.';

/** `resolve [<time>] [<public message>]`: the status becomes resolved, backdated if a time is given. */
export async function resolveIncident(
  ctx: CoreContext,
  incident: Incident,
  when: When | null,
  message: string,
): Promise<Result<Incident>> {
  const open = requireOpen(incident);
  if (!open.ok) return open;
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

export async function closeIncident(ctx: CoreContext, incident: Incident): Promise<Result<Incident>> {
  const open = requireOpen(incident);
  if (!open.ok) return open;
  await ctx.store.incidents.close(incident.id, ctx.now);
  await writeEntry(ctx, incident.id, 'closed', 'Incident closed');
  const closed = { ...incident, closedAt: ctx.now };
  ctx.notify({ kind: 'incident_closed', incident: closed });
  return ok(closed);
}
