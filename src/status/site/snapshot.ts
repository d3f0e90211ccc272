import { z } from 'zod';
import { STATUS_STATES, type Incident, type StatusState, type StatusUpdate } from '../../core/model.ts';
import type { PostedUpdate } from '../../core/notices.ts';

/**
 * What the static status site is rebuilt from (DESIGN §1, lesson 2): a local file, not a database
 * query, so the page keeps up while the database is down. It holds only public words: incident
 * titles and what was typed in `status`/`resolve`.
 */
export interface SiteSnapshot {
  version: 1;
  incidents: SiteIncident[];
}

export interface SiteIncident {
  id: number;
  title: string;
  severity: number;
  state: StatusState;
  startedAt: Date;
  resolvedAt: Date | null;
  /** Oldest first. */
  updates: SiteUpdate[];
}

export interface SiteUpdate {
  /** The command's event: a queued copy and the recorded update share it. */
  key: string;
  /** The recorded update's id; null while queued. */
  updateId: number | null;
  state: StatusState;
  message: string;
  postedAt: Date;
  /** Typed while the database was down: shown at once, recorded later. */
  queued: boolean;
}

/** A status update typed while the database is down, as the page shows it until it is recorded. */
export interface QueuedUpdate {
  /** The incident named in the command; null: the only active one on the page. */
  incidentId: number | null;
  key: string;
  state: StatusState;
  message: string;
  postedAt: Date;
}

export const EMPTY_SNAPSHOT: SiteSnapshot = { version: 1, incidents: [] };

const date = z.coerce.date();
const snapshotSchema = z.object({
  version: z.literal(1),
  incidents: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      severity: z.number().int(),
      state: z.enum(STATUS_STATES),
      startedAt: date,
      resolvedAt: date.nullable(),
      updates: z.array(
        z.object({
          key: z.string(),
          updateId: z.number().int().nullable().default(null),
          state: z.enum(STATUS_STATES),
          message: z.string(),
          postedAt: date,
          queued: z.boolean(),
        }),
      ),
    }),
  ),
}) satisfies z.ZodType<SiteSnapshot>;

/** Reads the snapshot file's text; null when it is not one (it is then rebuilt as updates arrive). */
export function parseSnapshot(text: string): SiteSnapshot | null {
  try {
    const parsed = snapshotSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The updates with this one in its place: the same event, or the same recorded update (a seeded copy), is replaced. */
function withUpdate(updates: readonly SiteUpdate[], update: SiteUpdate): SiteUpdate[] {
  const others = updates.filter((u) => u.key !== update.key && (update.updateId === null || u.updateId !== update.updateId));
  return [...others, update].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
}

function replaceIncident(snapshot: SiteSnapshot, incident: SiteIncident): SiteSnapshot {
  const incidents = snapshot.incidents.filter((i) => i.id !== incident.id);
  return { ...snapshot, incidents: [...incidents, incident].sort((a, b) => a.id - b.id) };
}

/** The snapshot with a recorded update: it replaces its queued copy, if the page showed one. */
export function applyPosted(snapshot: SiteSnapshot, incident: Incident, update: PostedUpdate): SiteSnapshot {
  const before = snapshot.incidents.find((i) => i.id === incident.id);
  return replaceIncident(snapshot, {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    state: incident.state,
    startedAt: incident.startedAt,
    resolvedAt: incident.resolvedAt,
    updates: withUpdate(before?.updates ?? [], {
      key: update.key,
      updateId: update.id,
      state: update.state,
      message: update.message,
      postedAt: update.postedAt,
      queued: false,
    }),
  });
}

/**
 * The snapshot with an update typed while the database is down; null when the page cannot tell
 * which incident it is about (not on the page yet, or no single active one), so it waits to be recorded.
 */
export function applyQueued(snapshot: SiteSnapshot, q: QueuedUpdate): SiteSnapshot | null {
  const active = snapshot.incidents.filter((i) => i.state !== 'resolved');
  const incident = q.incidentId !== null ? snapshot.incidents.find((i) => i.id === q.incidentId) : active.length === 1 ? active[0] : undefined;
  if (!incident) return null;
  const resolvedAt = q.state === 'resolved' ? (incident.resolvedAt ?? q.postedAt) : null;
  return replaceIncident(snapshot, {
    ...incident,
    state: q.state,
    resolvedAt,
    updates: withUpdate(incident.updates, { key: q.key, updateId: null, state: q.state, message: q.message, postedAt: q.postedAt, queued: true }),
  });
}

/** The snapshot with an update corrected, or withdrawn (message null), and the incident's state as it stands now. */
export function applyRevised(snapshot: SiteSnapshot, incident: Incident, updateId: number, message: string | null): SiteSnapshot {
  const before = snapshot.incidents.find((i) => i.id === incident.id);
  if (!before) return snapshot;
  const updates =
    message === null ? before.updates.filter((u) => u.updateId !== updateId) : before.updates.map((u) => (u.updateId === updateId ? { ...u, message } : u));
  return replaceIncident(snapshot, { ...before, state: incident.state, resolvedAt: incident.resolvedAt, updates });
}

/**
 * A first snapshot from what the database already holds (a site started on an existing record):
 * recorded updates are keyed by their id, since the event that made them is not kept with them.
 */
export function seedSnapshot(incidents: readonly Incident[], updates: readonly StatusUpdate[]): SiteSnapshot {
  let snapshot: SiteSnapshot = EMPTY_SNAPSHOT;
  for (const u of updates) {
    const incident = incidents.find((i) => i.id === u.incidentId);
    if (incident) snapshot = applyPosted(snapshot, incident, { id: u.id, key: `update-${u.id}`, state: u.state, message: u.message, postedAt: u.postedAt });
  }
  return snapshot;
}

/**
 * Whether two snapshots show the same page: the keys that tie an update to the command that made
 * it differ between a copy built from notices and one read from the database.
 */
export function sameContent(a: SiteSnapshot, b: SiteSnapshot): boolean {
  const shown = (s: SiteSnapshot) => JSON.stringify(s.incidents.map((i) => ({ ...i, updates: i.updates.map(({ key: _key, ...u }) => u) })));
  return shown(a) === shown(b);
}
