import type {
  Followup,
  Incident,
  RoleAssignment,
  StatusState,
  StatusUpdate,
  TimelineEntry,
  TimelineRevision,
} from '../core/model.ts';
import type { PrecedingWindow } from '../core/preceding-warnings.ts';
import type { Warning } from '../core/warning-model.ts';

/** What core may ask of the database: the repositories, all bound to one transaction. */
export interface Store {
  incidents: IncidentRepository;
  timeline: TimelineRepository;
  roles: RoleRepository;
  statusUpdates: StatusUpdateRepository;
  followups: FollowupRepository;
  channels: ChannelLinkRepository;
  events: ProcessedEventRepository;
  notices: NoticeRepository;
  statusDeliveries: StatusDeliveryRepository;
  warnings: WarningRepository;
  incidentNags: IncidentNagRepository;
  scheduledRuns: ScheduledRunRepository;
}

export interface NewIncident {
  title: string;
  severity: number;
  timeZone: string;
  startedAt: Date;
  openedBy: string;
  openedById: string;
  openedAt: Date;
  sourcePlatform: string;
  sourceChannel: string;
}

export interface IncidentRepository {
  insert(incident: NewIncident): Promise<Incident>;
  get(id: number): Promise<Incident | null>;
  /** Those of these ids that exist, in id order. */
  getMany(ids: readonly number[]): Promise<Incident[]>;
  /**
   * The incident as committed now, held until the transaction ends: changes that read the
   * incident's state and write it back (`sev` says "from SEV3") take this first, so two channels
   * changing one incident at the same moment take turns.
   */
  lock(id: number): Promise<Incident | null>;
  listOpen(): Promise<Incident[]>;
  /**
   * For each channel, in their order: the incident linked to it; when there is none, every open
   * incident. One query for one channel, one or two for several.
   */
  candidatesForMany(channels: readonly { platform: string; channelId: string }[]): Promise<{ linked: Incident | null; open: Incident[] }[]>;
  setSeverity(id: number, severity: number): Promise<void>;
  setState(id: number, state: StatusState, resolvedAt: Date | null): Promise<void>;
  close(id: number, closedAt: Date): Promise<void>;
}

export type NewTimelineEntry = Omit<TimelineEntry, 'id' | 'deletedAt' | 'deletedBy' | 'deletedById'> & { sourceEventId: string };

/** Where an entry stands in time order: ties on occurredAt are broken by id. */
export interface TimelinePosition {
  occurredAt: Date;
  id: number;
}

export interface TimelineRepository {
  insert(entry: NewTimelineEntry): Promise<TimelineEntry>;
  /** Several at once, in one statement; they are given ids in their order. */
  insertMany(entries: readonly NewTimelineEntry[]): Promise<TimelineEntry[]>;
  get(id: number): Promise<TimelineEntry | null>;
  /** The live entry a platform event recorded (a pinned message), if any. */
  findBySource(sourcePlatform: string, sourceEventId: string): Promise<TimelineEntry | null>;
  /** The latest occurred_at among live entries: the anchor for a bare HH:MM. */
  latestOccurredAt(incidentId: number): Promise<Date | null>;
  /** Every entry, deleted ones included, in time order. */
  list(incidentId: number): Promise<TimelineEntry[]>;
  /** How many live entries there are, and the last `limit` of them in time order: `show`, without the whole timeline. */
  latestLive(incidentId: number, limit: number): Promise<{ count: number; entries: TimelineEntry[] }>;
  /**
   * Up to `limit` entries, deleted ones included, in time order, after the entry `after` names:
   * an incident's timeline read a page at a time, so an export need not hold it all.
   */
  page(incidentId: number, after: TimelinePosition | null, limit: number): Promise<TimelineEntry[]>;
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
  /** The updates that stand, of every incident with one posted since `since`, in time order. */
  postedSince(since: Date): Promise<StatusUpdate[]>;
}

export interface FollowupRepository {
  insert(followup: Omit<Followup, 'id' | 'doneAt' | 'doneBy' | 'doneById'>): Promise<Followup>;
  /** The follow-up, locked until commit; null when there is none. */
  lock(id: number): Promise<Followup | null>;
  /** Marks it done at `at` by that person. */
  markDone(id: number, at: Date, by: string, byId: string): Promise<Followup>;
  list(incidentId: number): Promise<Followup[]>;
}

export interface ChannelLink {
  platform: string;
  channelId: string;
  incidentId: number;
  /** A message in the channel the platform keeps up to date (Slack's pinned summary). */
  anchor?: string | null;
}

export interface ChannelLinkRepository {
  /** One channel per incident per platform: linking again moves the incident to the new channel. */
  link(link: ChannelLink, at: Date): Promise<void>;
  /** The channel of an incident on a platform, if it has one. */
  channelOf(incidentId: number, platform: string): Promise<string | null>;
  /** The channel and its anchor message, if the incident has a channel on the platform. */
  linkOf(incidentId: number, platform: string): Promise<{ channelId: string; anchor: string | null } | null>;
  /** Every open incident with its channel on the platform (null where it has none yet). */
  openIncidents(platform: string): Promise<{ incident: Incident; channelId: string | null }[]>;
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
  /**
   * Records them as the transaction commits (with the commit, on PGlite). One recorded before
   * fails the commit: the transaction is rolled back, and the caller looks first the next time.
   */
  record(events: readonly ProcessedEvent[]): Promise<void>;
}

export function eventKey(e: ChatEvent): string {
  return `${e.platform}\u0000${e.eventId}`;
}

/** A notice to keep: its body is JSON, read back by whoever delivers it. */
export interface NewNotice {
  body: unknown;
  /** Notices about one incident are delivered in the order they were made; null: no order. */
  incidentId: number | null;
  consumers: readonly string[];
}

/** A notice on its way to one consumer (a chat platform, the draft writer). */
export interface NoticeDelivery {
  noticeId: number;
  consumer: string;
  body: unknown;
  /** Attempts so far, this one included. */
  attempts: number;
  createdAt: Date;
}

/** The chat outbox (DESIGN §8): notices kept in the transaction that caused them, delivered after. */
export interface NoticeRepository {
  /** Keeps each notice for each of its consumers, due at once. */
  enqueue(notices: readonly NewNotice[], at: Date): Promise<void>;
  /**
   * Takes up to `limit` due deliveries for the consumer, oldest first, and hides them until
   * `leaseUntil` (from other workers too). A delivery waits while an older one about the same
   * incident is still pending, so a channel is created before its topic changes.
   */
  claim(consumer: string, now: Date, leaseUntil: Date, limit: number): Promise<NoticeDelivery[]>;
  delivered(consumer: string, noticeId: number): Promise<void>;
  /** Tries again at `retryAt`, or sets it aside for good when `retryAt` is null. */
  failed(consumer: string, noticeId: number, error: string, retryAt: Date | null): Promise<void>;
  /** When the consumer's next delivery falls due, if any is pending. */
  nextDueAt(consumer: string): Promise<Date | null>;
  counts(consumer: string): Promise<{ pending: number; dead: number }>;
}

export const DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One status update on its way to one external target (DESIGN §4). */
export interface StatusDelivery {
  id: number;
  updateId: number;
  incidentId: number;
  target: string;
  state: DeliveryState;
  /** Attempts so far (a claimed delivery counts the one being made). */
  attempts: number;
  createdAt: Date;
  dueAt: Date;
  lastError: string | null;
  settledAt: Date | null;
  /** When this stuck episode was told to the ops channel; null while it is not (or was retried since). */
  stuckReportedAt: Date | null;
  /** The update's state: what went out. */
  updateState: StatusState;
  /** The timeline entry that announced the update. */
  updateEntryId: number;
}

/** A claimed delivery with everything its target needs to send it. */
export interface ClaimedStatusDelivery extends StatusDelivery {
  incident: Incident;
  update: StatusUpdate;
  /** The target's incident for ours, once a delivery has made one. */
  external: ExternalIncident | null;
}

export interface ExternalIncident {
  externalId: string;
  link: string | null;
}

/** A delivery pending long enough to be stuck, claimed to be reported, with the incident it is for. */
export interface StuckStatusDelivery extends StatusDelivery {
  incident: Incident;
}

/** The status outbox: one delivery per enabled target per update, each settled on its own. */
export interface StatusDeliveryRepository {
  /** The targets this deployment publishes to; the others stop getting new deliveries. */
  enableTargets(names: readonly string[]): Promise<void>;
  /** Makes one pending delivery of the update per enabled target, due at `at`; returns them. */
  enqueue(updateId: number, incidentId: number, at: Date): Promise<StatusDelivery[]>;
  /**
   * Takes up to `limit` due deliveries to these targets and hides them until `leaseUntil`. One waits
   * while an older delivery to the same target about the same incident is still pending, so each
   * external incident gets its updates in the order they were made.
   */
  claim(targets: readonly string[], now: Date, leaseUntil: Date, limit: number): Promise<ClaimedStatusDelivery[]>;
  delivered(id: number, at: Date, external: ExternalIncident | null): Promise<void>;
  /** Tries again at `retryAt`, or sets it aside as dead when `retryAt` is null. */
  failed(id: number, error: string, retryAt: Date | null, at: Date): Promise<void>;
  /** Dead ones back to pending, due at `at`, with fresh attempts; null when there is no such dead delivery. */
  retry(id: number, at: Date): Promise<StatusDelivery | null>;
  /** Deliveries in these states, oldest first. */
  list(states: readonly DeliveryState[], limit: number): Promise<StatusDelivery[]>;
  /** Every delivery of an incident's updates, oldest first. */
  forIncident(incidentId: number): Promise<StatusDelivery[]>;
  /** When the next pending delivery to these targets falls due, if any. */
  nextDueAt(targets: readonly string[]): Promise<Date | null>;
  /**
   * Locks up to `limit` pending deliveries made at or before `madeBy` whose stuck episode is not yet
   * reported, skipping those another transaction holds; oldest first.
   */
  claimStuck(madeBy: Date, limit: number): Promise<StuckStatusDelivery[]>;
  /** Their stuck episode was reported at `at`: not again until `retry` starts a new one. */
  stuckReported(ids: readonly number[], at: Date): Promise<void>;
  /** When the oldest pending delivery not yet reported stuck was made, if any. */
  oldestUnreported(): Promise<Date | null>;
  /** How many deliveries wait and how many were set aside as dead: for the operator (metrics). */
  counts(): Promise<{ pending: number; dead: number }>;
}

/** A warning as first seen: the rest of its state starts empty. */
export interface NewWarning {
  fingerprint: string;
  summary: string;
  at: Date;
}

/** A nag sent: the warning's counts and next due time after it. */
export type NagSent = Pick<Warning, 'id' | 'nagCount' | 'episodeNagCount' | 'lastNagAt' | 'nextNagAt'>;

/** Warnings and their nag state (DESIGN §5). Reads that lead to a write lock the row until commit. */
export interface WarningRepository {
  /**
   * The warnings with these (distinct) fingerprints, locked, in the order asked for; each made
   * (empty, open, never fired) when there is none. A few statements however many there are: intake
   * takes a batch of alerts at once.
   */
  takeMany(ws: readonly NewWarning[]): Promise<{ warning: Warning; created: boolean }[]>;
  /** The warning with this fingerprint, locked; null when there is none. */
  lockByFingerprint(fingerprint: string): Promise<Warning | null>;
  lock(id: number): Promise<Warning | null>;
  get(id: number): Promise<Warning | null>;
  /** Writes back everything that changes after it is made. */
  save(w: Warning): Promise<void>;
  /** save() for many warnings in one statement. */
  saveMany(ws: readonly Warning[]): Promise<void>;
  /** Writes back what sending nags changed, for many warnings in one statement (a scheduler tick). */
  recordNags(nags: readonly NagSent[]): Promise<void>;
  /**
   * Records one firing of each (distinct) warning; returns, for each in the order given, every firing
   * since its `since`, the new one included (one round trip for a whole batch: intake is hot).
   */
  addFirings(firings: readonly { warningId: number; at: Date; since: Date }[]): Promise<Date[][]>;
  /** Open warnings, habitually ignored ones first. */
  listOpen(): Promise<Warning[]>;
  /** What the daily digest lists: open warnings and habitually ignored ones, habitual first. */
  listForDigest(): Promise<Warning[]>;
  /**
   * Up to `limit` open warnings whose nag is due, locked until commit and skipped by other
   * instances' claims (FOR UPDATE SKIP LOCKED): each nag is sent by one instance.
   */
  claimDue(now: Date, limit: number): Promise<Warning[]>;
  /** The earliest nag due, if any. */
  nextDueAt(): Promise<Date | null>;
  /**
   * The warnings promoted into this incident, and those that fired in the window sharing one of
   * their label pairs (labels named in `ignoredLabels` aside), oldest first: the candidates its
   * postmortem's warnings are chosen from (core/preceding-warnings.ts).
   */
  beforeIncident(incidentId: number, window: PrecedingWindow, ignoredLabels: readonly string[]): Promise<Warning[]>;
}

/** An open incident as the status nag reads it. */
export interface StatusNagCandidate {
  incident: Incident;
  lastUpdateAt: Date | null;
  lastNagAt: Date | null;
  commander: { name: string; id: string } | null;
}

export interface IncidentNagRepository {
  /**
   * Open incidents whose severity has a cadence, with their last public update and reminder,
   * locked (SKIP LOCKED) so that one instance reminds each.
   */
  claimOpen(severities: readonly number[], limit: number): Promise<StatusNagCandidate[]>;
  nagged(incidentId: number, at: Date): Promise<void>;
}

export interface ScheduledRunRepository {
  /** Takes the run for this slot unless it (or a later one) was taken already: true for the one instance that runs it. */
  take(name: string, slotAt: Date): Promise<boolean>;
}
