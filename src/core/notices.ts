import { z } from 'zod';
import { STATUS_STATES, type Incident, type StatusState } from './model.ts';
import type { Actor } from './people.ts';

/** Who holds a role, as a notice carries it: enough for a topic or a mention. */
export interface RoleHolder {
  name: string;
  id: string;
}

/**
 * What firebell says unprompted. Core emits these inside the transaction that caused them; they are
 * kept in the chat outbox and delivered afterwards to every consumer that wants them (a channel and
 * topic on IRC, a channel and pinned summary on Slack, a line on the shell, the draft on disk).
 * Each carries what its consumers need to render it, as it was when it happened.
 */
export type Notice =
  | { kind: 'incident_opened'; incident: Incident; opener: Actor; origin: { platform: string; channelId: string } }
  /** Status, severity or a role changed: topics and pinned summaries follow. */
  | { kind: 'incident_updated'; incident: Incident; commander: RoleHolder | null; change: IncidentChange }
  | { kind: 'incident_closed'; incident: Incident }
  /** A closed incident's record changed: its exported draft must be written again. */
  | { kind: 'postmortem_outdated'; incidentId: number }
  /** The draft exists now (the incident closed): where people can read it. */
  | { kind: 'postmortem_ready'; incidentId: number; filename: string; url: string | null }
  /**
   * A command in the journal could not be run any more (it no longer parses, e.g. after an
   * upgrade) and was set aside in `file`, so the commands behind it went through (lesson 4).
   */
  | { kind: 'command_set_aside'; verb: string; text: string; actor: Actor; receivedAt: Date; reason: string; file: string }
  /** A public status update was recorded: the static status site shows it. */
  | { kind: 'status_posted'; incident: Incident; update: PostedUpdate }
  /** A public update was corrected (`edit`) or withdrawn (`delete`: message null); the incident is as it stands now. */
  | { kind: 'status_revised'; incident: Incident; updateId: number; message: string | null }
  /** A status update could not be delivered to an external target and was set aside. */
  | { kind: 'status_delivery_dead'; incidentId: number; deliveryId: number; target: string; state: StatusState; attempts: number; error: string }
  /** A status update still not delivered to an external target after 5 min: said once per stuck episode. */
  | {
      kind: 'status_delivery_stuck';
      incident: Incident;
      deliveryId: number;
      target: string;
      state: StatusState;
      attempts: number;
      waitedMs: number;
      lastError: string | null;
    }
  /** A warning still unacked: the nth reminder of this episode, in the ops channel. */
  | { kind: 'warning_nag'; warning: WarningBrief; nth: number }
  /** A warning resolved: how long it was open, how often it was nagged, who acked it. */
  | { kind: 'warning_resolved'; warning: WarningBrief; openForMs: number; nags: number; ackedBy: string | null }
  /** The daily digest, habitually ignored warnings first. */
  | { kind: 'warnings_digest'; warnings: WarningBrief[] }
  /** An open incident without a public status update for its severity's cadence: remind its commander. */
  | { kind: 'status_nag'; incident: Incident; commander: RoleHolder | null; silentForMs: number };

/** A public status update as the status site shows it; `key` is the command's event, so a queued copy is recognised. */
export interface PostedUpdate {
  id: number;
  key: string;
  state: StatusState;
  message: string;
  postedAt: Date;
}

/** A warning as a notice carries it: what its words need, as it was then. */
export interface WarningBrief {
  id: number;
  summary: string;
  severity: string | null;
  owner: RoleHolder | null;
  fireCount: number;
  nagCount: number;
  habitual: boolean;
  openedAt: Date;
}

export const INCIDENT_CHANGES = ['status', 'severity', 'role'] as const;
export type IncidentChange = (typeof INCIDENT_CHANGES)[number];

/** The incident a notice is about (null: none): notices about one incident are delivered in the order made. */
export function noticeIncidentId(notice: Notice): number | null {
  if ('incident' in notice) return notice.incident.id;
  return 'incidentId' in notice ? notice.incidentId : null;
}

const date = z.coerce.date();

const incidentSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  severity: z.number().int(),
  state: z.enum(STATUS_STATES),
  timeZone: z.string(),
  startedAt: date,
  resolvedAt: date.nullable(),
  closedAt: date.nullable(),
  openedBy: z.string(),
  openedById: z.string(),
  openedAt: date,
}) satisfies z.ZodType<Incident>;

const holderSchema = z.object({ name: z.string(), id: z.string() });

const warningBriefSchema = z.object({
  id: z.number().int(),
  summary: z.string(),
  severity: z.string().nullable(),
  owner: holderSchema.nullable(),
  fireCount: z.number().int(),
  nagCount: z.number().int(),
  habitual: z.boolean(),
  openedAt: date,
}) satisfies z.ZodType<WarningBrief>;

const actorSchema = z.object({ platform: z.string(), id: z.string(), name: z.string() });

/** Reads a notice back from the outbox (JSON, so its instants are strings there). */
export const noticeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('incident_opened'),
    incident: incidentSchema,
    opener: actorSchema,
    origin: z.object({ platform: z.string(), channelId: z.string() }),
  }),
  z.object({
    kind: z.literal('incident_updated'),
    incident: incidentSchema,
    commander: z.object({ name: z.string(), id: z.string() }).nullable(),
    change: z.enum(INCIDENT_CHANGES),
  }),
  z.object({ kind: z.literal('incident_closed'), incident: incidentSchema }),
  z.object({ kind: z.literal('postmortem_outdated'), incidentId: z.number().int() }),
  z.object({ kind: z.literal('postmortem_ready'), incidentId: z.number().int(), filename: z.string(), url: z.string().nullable() }),
  z.object({
    kind: z.literal('command_set_aside'),
    verb: z.string(),
    text: z.string(),
    actor: actorSchema,
    receivedAt: date,
    reason: z.string(),
    file: z.string(),
  }),
  z.object({
    kind: z.literal('status_posted'),
    incident: incidentSchema,
    update: z.object({ id: z.number().int(), key: z.string(), state: z.enum(STATUS_STATES), message: z.string(), postedAt: date }),
  }),
  z.object({ kind: z.literal('status_revised'), incident: incidentSchema, updateId: z.number().int(), message: z.string().nullable() }),
  z.object({
    kind: z.literal('status_delivery_dead'),
    incidentId: z.number().int(),
    deliveryId: z.number().int(),
    target: z.string(),
    state: z.enum(STATUS_STATES),
    attempts: z.number().int(),
    error: z.string(),
  }),
  z.object({
    kind: z.literal('status_delivery_stuck'),
    incident: incidentSchema,
    deliveryId: z.number().int(),
    target: z.string(),
    state: z.enum(STATUS_STATES),
    attempts: z.number().int(),
    waitedMs: z.number(),
    lastError: z.string().nullable(),
  }),
  z.object({ kind: z.literal('warning_nag'), warning: warningBriefSchema, nth: z.number().int() }),
  z.object({
    kind: z.literal('warning_resolved'),
    warning: warningBriefSchema,
    openForMs: z.number(),
    nags: z.number().int(),
    ackedBy: z.string().nullable(),
  }),
  z.object({ kind: z.literal('warnings_digest'), warnings: z.array(warningBriefSchema) }),
  z.object({ kind: z.literal('status_nag'), incident: incidentSchema, commander: holderSchema.nullable(), silentForMs: z.number() }),
]) satisfies z.ZodType<Notice>;
