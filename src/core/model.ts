/**
 * The record firebell keeps about an incident (DESIGN §3). Instants are Dates (UTC inside). A person
 * is kept as the name shown at the time and, beside it (`…Id`), their key (`personKey`): names are
 * for reading, keys for counting.
 */

export const STATUS_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type StatusState = (typeof STATUS_STATES)[number];

export const ROLES = ['commander', 'comms', 'scribe'] as const;
export type Role = (typeof ROLES)[number];

/** Entry kinds a responder types, plus the ones firebell records for them. */
export const TYPED_ENTRY_KINDS = ['note', 'detected', 'action', 'decision', 'impact', 'cause'] as const;
export type TypedEntryKind = (typeof TYPED_ENTRY_KINDS)[number];
export type EntryKind = TypedEntryKind | 'opened' | 'status' | 'severity' | 'role' | 'followup' | 'resolved' | 'closed';

/** Where a command came from. */
export interface Source {
  platform: string;
  channelId: string;
  /** What makes the command unique (the delivery's id, or what it records, e.g. a pinned message): kept on its entries. */
  eventId: string;
}

export interface Incident {
  id: number;
  title: string;
  severity: number;
  state: StatusState;
  timeZone: string;
  startedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  openedBy: string;
  openedById: string;
  openedAt: Date;
}

export interface TimelineEntry {
  id: number;
  incidentId: number;
  occurredAt: Date;
  recordedAt: Date;
  author: string;
  authorId: string;
  /** Who put someone else's words on the timeline (a pinned message); null when the author did. */
  addedBy: string | null;
  addedById: string | null;
  kind: EntryKind;
  text: string;
  sourcePlatform: string;
  deletedAt: Date | null;
  deletedBy: string | null;
  deletedById: string | null;
}

export interface TimelineRevision {
  entryId: number;
  action: 'edit' | 'delete';
  previousText: string;
  newText: string | null;
  changedBy: string;
  changedById: string;
  changedAt: Date;
}

export interface RoleAssignment {
  role: Role;
  holder: string;
  holderId: string;
  assignedBy: string;
  assignedById: string;
  assignedAt: Date;
}

export interface StatusUpdate {
  id: number;
  incidentId: number;
  state: StatusState;
  message: string;
  author: string;
  authorId: string;
  postedAt: Date;
}

export interface Followup {
  id: number;
  incidentId: number;
  text: string;
  owner: string | null;
  ownerId: string | null;
  /** A calendar date, YYYY-MM-DD: a due day has no time zone. */
  dueOn: string | null;
  createdBy: string;
  createdById: string;
  createdAt: Date;
  /** When someone marked it done (`followup done F-n`), and who; null while it is open. */
  doneAt: Date | null;
  doneBy: string | null;
  doneById: string | null;
}

export function incidentRef(id: number): string {
  return `INC-${id}`;
}

/** Longest timeline text, status message or follow-up; a pasted log belongs in a file, not a row. */
export const MAX_TEXT_LENGTH = 4_000;
/** Longest incident title: it becomes a channel topic (Slack allows 250 characters there). */
export const MAX_TITLE_LENGTH = 200;
export const DEFAULT_SEVERITY = 3;
