import type {
  EntryKind,
  Followup,
  Incident,
  RoleAssignment,
  StatusState,
  StatusUpdate,
  TimelineEntry,
  TimelineRevision,
} from '../core/model.ts';

/** What core may ask of the database: the repositories, all bound to one transaction. */
export interface Store {
  incidents: IncidentRepository;
  timeline: TimelineRepository;
  roles: RoleRepository;
  statusUpdates: StatusUpdateRepository;
  followups: FollowupRepository;
  channels: ChannelLinkRepository;
  events: ProcessedEventRepository;
}

export interface NewIncident {
  title: string;
  severity: number;
  timeZone: string;
  startedAt: Date;
  openedBy: string;
  openedAt: Date;
  sourcePlatform: string;
  sourceChannel: string;
}

export interface IncidentRepository {
  insert(incident: NewIncident): Promise<Incident>;
  get(id: number): Promise<Incident | null>;
  listOpen(): Promise<Incident[]>;
  /** In one query: the incident linked to this channel (if any), then every open incident. */
  candidatesFor(platform: string, channelId: string): Promise<{ linked: Incident | null; open: Incident[] }>;
  setSeverity(id: number, severity: number): Promise<void>;
  setState(id: number, state: StatusState, resolvedAt: Date | null): Promise<void>;
  close(id: number, closedAt: Date): Promise<void>;
}

export interface NewTimelineEntry {
  incidentId: number;
  occurredAt: Date;
  recordedAt: Date;
  author: string;
  kind: EntryKind;
  text: string;
  sourcePlatform: string;
  sourceEventId: string;
}

export interface TimelineRepository {
  insert(entry: NewTimelineEntry): Promise<TimelineEntry>;
  get(id: number): Promise<TimelineEntry | null>;
  /** The latest occurred_at among live entries: the anchor for a bare HH:MM. */
  latestOccurredAt(incidentId: number): Promise<Date | null>;
  /** Every entry, deleted ones included, in time order. */
  list(incidentId: number): Promise<TimelineEntry[]>;
  revise(revision: TimelineRevision): Promise<void>;
  revisions(incidentId: number): Promise<TimelineRevision[]>;
}

export interface RoleRepository {
  assign(incidentId: number, assignment: RoleAssignment): Promise<void>;
  list(incidentId: number): Promise<RoleAssignment[]>;
}

export interface StatusUpdateRepository {
  insert(update: Omit<StatusUpdate, 'id'> & { entryId: number }): Promise<StatusUpdate>;
  /** The updates that stand, in time order: one whose timeline entry was deleted is left out (and kept). */
  list(incidentId: number): Promise<StatusUpdate[]>;
  /** The update a timeline entry announced; null for any other entry. */
  forEntry(incidentId: number, entryId: number): Promise<StatusUpdate | null>;
  /** Corrects the public message of the update a timeline entry announced. */
  reword(incidentId: number, entryId: number, message: string): Promise<void>;
}

export interface FollowupRepository {
  insert(followup: Omit<Followup, 'id'>): Promise<Followup>;
  list(incidentId: number): Promise<Followup[]>;
}

export interface ChannelLinkRepository {
  link(platform: string, channelId: string, incidentId: number, at: Date): Promise<void>;
}

export interface ChatEvent {
  platform: string;
  eventId: string;
}

export interface ProcessedEvent extends ChatEvent {
  at: Date;
  reply: unknown;
}

export interface ProcessedEventRepository {
  /** The replies recorded for those of these events that were processed before, keyed by eventKey(). */
  repliesTo(events: readonly ChatEvent[]): Promise<Map<string, unknown>>;
  /** Records those not recorded yet; returns how many were new. */
  record(events: readonly ProcessedEvent[]): Promise<number>;
}

export function eventKey(e: ChatEvent): string {
  return `${e.platform}\u0000${e.eventId}`;
}
