import { formatDuration } from '../core/duration.ts';
import { zoneOf } from '../core/incident-time.ts';
import { incidentRef, type StatusState, type TimelineEntry } from '../core/model.ts';
import type { IncidentRecordHead } from '../core/record.ts';
import {
  describeZone,
  fieldsOfWallClockMillis,
  formatDateFields,
  formatOffset,
  formatTimeFields,
  instantsOfLocal,
  offsetMillisAt,
  offsetMinutesAt,
  toLocal,
  wallClockMillis,
  type LocalDateTime,
  type Zone,
} from '../core/zone.ts';

/**
 * The rules of the postmortem draft (DESIGN §6, issue 21), shared by its Markdown and JSON forms.
 * The timeline is read twice, a page at a time: once for what the sections above it need (these
 * facts), once to write it. Everything here is pure; nothing holds the whole timeline.
 */

export interface DraftEntry extends TimelineEntry {
  edited: boolean;
}

export interface Participant {
  id: string;
  /** The name they wrote under last. */
  name: string;
  entries: number;
}

/** How times read in the draft: in the incident's zone, with the offset on a day it changes. */
export interface DraftClock {
  zone: Zone;
  /** `Europe/Berlin`, `MST (UTC-07:00)`. */
  zoneName: string;
  /**
   * The offset (`+01:00`) to show beside a local time on a day when the zone's offset changes, else
   * null: in a fall-back night 02:45, 02:10, 02:30 would otherwise look out of order.
   */
  offsetShownAt(at: Date): string | null;
  /** `2026-03-01`: the local day. */
  date(at: Date): string;
  /** `2026-03-01 23:40`, `2026-10-25 02:10 (+01:00)`. */
  dateTime(at: Date): string;
  /** `23:40`, `02:10 (+01:00)`. */
  time(at: Date): string;
  /** `2026-03-01 23:40`, `2026-10-25 02:10 +01:00`: for JSON. */
  dateTimeJson(at: Date): string;
}

const MINUTE_MS = 60_000;

/**
 * The wall clock in the zone, asking Intl once per minute of the timeline rather than once per
 * time shown: a 100,000-entry export would otherwise spend seconds in formatToParts. A minute whose
 * two ends have different offsets (a switch inside it, pre-1900 local mean time) is not cached.
 */
function localClock(zone: Zone): (at: Date) => LocalDateTime {
  if (zone.fixedOffsetMinutes !== null) return (at) => toLocal(at, zone);
  const offsetOfMinute = new Map<number, number | null>();
  return (at) => {
    const ms = at.getTime();
    const minute = Math.floor(ms / MINUTE_MS);
    let offset = offsetOfMinute.get(minute);
    if (offset === undefined) {
      const first = offsetMillisAt(zone, minute * MINUTE_MS);
      offset = first === offsetMillisAt(zone, minute * MINUTE_MS + MINUTE_MS - 1) ? first : null;
      if (offsetOfMinute.size > 100_000) offsetOfMinute.clear();
      offsetOfMinute.set(minute, offset);
    }
    return offset === null ? toLocal(at, zone) : fieldsOfWallClockMillis(Math.floor(ms / 1000) * 1000 + offset);
  };
}

export function draftClock(zone: Zone): DraftClock {
  const local = localClock(zone);
  // One check per local day, not per time shown: each asks Intl a handful of times.
  const switchDays = new Map<string, boolean>();
  const offsetShownAt = (at: Date) => {
    const date = formatDateFields(local(at));
    let switches = switchDays.get(date);
    if (switches === undefined) {
      switches = offsetChangesOnDayOf(at, zone);
      switchDays.set(date, switches);
    }
    return switches ? formatOffset(offsetMinutesAt(zone, at)) : null;
  };
  const withOffset = (text: string, at: Date) => {
    const offset = offsetShownAt(at);
    return offset ? `${text} (${offset})` : text;
  };
  const dateTime = (at: Date) => {
    const l = local(at);
    return `${formatDateFields(l)} ${formatTimeFields(l)}`;
  };
  return {
    zone,
    zoneName: describeZone(zone),
    offsetShownAt,
    date: (at) => formatDateFields(local(at)),
    dateTime: (at) => withOffset(dateTime(at), at),
    time: (at) => withOffset(formatTimeFields(local(at)), at),
    dateTimeJson: (at) => {
      const offset = offsetShownAt(at);
      return offset ? `${dateTime(at)} ${offset}` : dateTime(at);
    },
  };
}

/**
 * An `impact` or `cause` typed without a time is a judgement, not an event: it goes in its own
 * section only. A typed "now" stores the same instant as occurred and recorded; a backdated entry,
 * or words pinned from chat, carry their own time and are events too.
 */
export function isUntimedJudgement(entry: TimelineEntry): boolean {
  return (entry.kind === 'impact' || entry.kind === 'cause') && entry.occurredAt.getTime() === entry.recordedAt.getTime();
}

/** Whether an entry is on the timeline table: live, and not an untimed judgement. */
export function isOnTimeline(entry: TimelineEntry): boolean {
  return !entry.deletedAt && !isUntimedJudgement(entry);
}

/** Entries that do not count as a responder acknowledging: the opening, detection, the end. */
const NOT_A_RESPONSE = new Set(['opened', 'detected', 'resolved', 'closed']);

/** What the sections above the timeline need from it, gathered in one pass in time order. */
export interface TimelineFacts {
  /** Entries on the timeline table. */
  shown: number;
  participants: Participant[];
  firstDetectedAt: Date | null;
  /** First `<name> is commander` entry. */
  firstCommanderAt: Date | null;
  /** First response at or after the first detection, and at or after the opening (used without a detection). */
  firstResponseAfterDetectedAt: Date | null;
  firstResponseAfterOpenedAt: Date | null;
  impact: DraftEntry[];
  causes: DraftEntry[];
  /** Where each corrected entry stands, so a correction can name it. */
  corrected: Map<number, { occurredAt: Date; kind: string }>;
}

export interface TimelineFactsBuilder {
  add(entry: TimelineEntry): void;
  facts(): TimelineFacts;
}

export function editedEntryIds(head: IncidentRecordHead): Set<number> {
  return new Set(head.revisions.filter((r) => r.action === 'edit').map((r) => r.entryId));
}

export function gatherTimelineFacts(head: IncidentRecordHead): TimelineFactsBuilder {
  const edited = editedEntryIds(head);
  const correctedIds = new Set(head.revisions.map((r) => r.entryId));
  const openedAtMs = head.incident.openedAt.getTime();
  const people = new Map<string, Participant & { lastRecordedAt: number }>();
  const facts: TimelineFacts = {
    shown: 0,
    participants: [],
    firstDetectedAt: null,
    firstCommanderAt: null,
    firstResponseAfterDetectedAt: null,
    firstResponseAfterOpenedAt: null,
    impact: [],
    causes: [],
    corrected: new Map(),
  };
  return {
    add(entry) {
      if (correctedIds.has(entry.id)) facts.corrected.set(entry.id, { occurredAt: entry.occurredAt, kind: entry.kind });
      if (entry.deletedAt) return;
      if (isOnTimeline(entry)) facts.shown++;
      const recordedAt = entry.recordedAt.getTime();
      const person = people.get(entry.authorId);
      if (!person) people.set(entry.authorId, { id: entry.authorId, name: entry.author, entries: 1, lastRecordedAt: recordedAt });
      else {
        person.entries++;
        if (recordedAt >= person.lastRecordedAt) {
          person.name = entry.author;
          person.lastRecordedAt = recordedAt;
        }
      }
      if (entry.kind === 'impact') facts.impact.push({ ...entry, edited: edited.has(entry.id) });
      if (entry.kind === 'cause') facts.causes.push({ ...entry, edited: edited.has(entry.id) });
      if (entry.kind === 'detected') facts.firstDetectedAt ??= entry.occurredAt;
      if (entry.kind === 'role' && entry.text.endsWith(' is commander')) facts.firstCommanderAt ??= entry.occurredAt;
      if (!NOT_A_RESPONSE.has(entry.kind) && !isUntimedJudgement(entry)) {
        // Entries come in time order: the first response after a detection is the first seen once it is known.
        if (facts.firstDetectedAt) facts.firstResponseAfterDetectedAt ??= entry.occurredAt;
        if (entry.occurredAt.getTime() >= openedAtMs) facts.firstResponseAfterOpenedAt ??= entry.occurredAt;
      }
    },
    facts() {
      facts.participants = [...people.values()].map(({ lastRecordedAt: _, ...p }) => p).sort((a, b) => b.entries - a.entries);
      return facts;
    },
  };
}

export type KeyMoment = 'started' | 'detected' | 'acknowledged' | 'mitigated' | 'resolved' | 'closed';

export interface KeyTime {
  moment: KeyMoment;
  label: string;
  at: Date | null;
  /** How it is found in the record. */
  rule: string;
}

export interface KeyDuration {
  name: 'timeToDetect' | 'timeToAcknowledge' | 'timeToMitigate' | 'timeToResolve';
  label: string;
  from: KeyMoment;
  to: KeyMoment;
  ms: number;
}

function earliest(...dates: (Date | null | undefined)[]): Date | null {
  let first: Date | null = null;
  for (const d of dates) if (d && (!first || d < first)) first = d;
  return first;
}

export function keyTimes(head: IncidentRecordHead, facts: TimelineFacts): KeyTime[] {
  const { incident } = head;
  const detectedAt = facts.firstDetectedAt ?? incident.openedAt;
  const response = facts.firstDetectedAt ? facts.firstResponseAfterDetectedAt : facts.firstResponseAfterOpenedAt;
  const commander = earliest(facts.firstCommanderAt, head.roles.find((r) => r.role === 'commander')?.assignedAt);
  const mitigatedAt = head.statusUpdates.filter((u) => u.state === 'monitoring').reduce<Date | null>((a, u) => earliest(a, u.postedAt), null);
  return [
    { moment: 'started', label: 'Started', at: incident.startedAt, rule: 'when the incident started, as given to `start` (or when it was opened).' },
    {
      moment: 'detected',
      label: 'Detected',
      at: detectedAt,
      rule: facts.firstDetectedAt ? 'the first `detected` entry.' : 'no `detected` entry, so when the incident was opened in firebell.',
    },
    {
      moment: 'acknowledged',
      label: 'Acknowledged',
      at: earliest(commander, response),
      rule: 'the first commander assignment or the first entry by a responder after detection, whichever came first (openings, detections and resolutions do not count).',
    },
    { moment: 'mitigated', label: 'Mitigated', at: mitigatedAt, rule: 'the first public status update saying `monitoring`.' },
    { moment: 'resolved', label: 'Resolved', at: incident.resolvedAt, rule: 'the `resolved` status update.' },
    { moment: 'closed', label: 'Closed', at: incident.closedAt, rule: 'when the incident was closed.' },
  ];
}

const DURATIONS: Omit<KeyDuration, 'ms'>[] = [
  { name: 'timeToDetect', label: 'Time to detect', from: 'started', to: 'detected' },
  { name: 'timeToAcknowledge', label: 'Time to acknowledge', from: 'detected', to: 'acknowledged' },
  { name: 'timeToMitigate', label: 'Time to mitigate', from: 'started', to: 'mitigated' },
  { name: 'timeToResolve', label: 'Time to resolve', from: 'started', to: 'resolved' },
];

/** Each duration whose two moments are known; computed on instants, so DST and midnight cannot bend it. */
export function keyDurations(times: readonly KeyTime[]): KeyDuration[] {
  const at = (m: KeyMoment) => times.find((t) => t.moment === m)?.at ?? null;
  return DURATIONS.flatMap((d) => {
    const from = at(d.from);
    const to = at(d.to);
    return from && to ? [{ ...d, ms: to.getTime() - from.getTime() }] : [];
  });
}

/** A duration as the draft shows it; a negative one means a backdated time is wrong, and says so. */
export function showDuration(ms: number): string {
  return ms < 0 ? `${formatDuration(ms)} (negative: check the backdated times)` : formatDuration(ms);
}

export interface StatusPhase {
  state: StatusState;
  from: Date;
  /** Null for `resolved`, a moment rather than a phase. */
  to: Date | null;
}

/**
 * The incident's public state over time: investigating from its start until the first update that
 * says otherwise, then each state until the next, ending when resolved (or closed, or now).
 */
export function statusPhases(head: IncidentRecordHead, generatedAt: Date): StatusPhase[] {
  const { incident } = head;
  const end = incident.resolvedAt ?? incident.closedAt ?? generatedAt;
  const phases: StatusPhase[] = [{ state: 'investigating', from: incident.startedAt, to: null }];
  const updates = [...head.statusUpdates].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.id - b.id);
  for (const u of updates) {
    const last = phases.at(-1)!;
    if (u.state === last.state) continue;
    if (last.state === 'resolved') {
      // Reopened: the resolution was a moment, and a new phase starts.
      phases.push({ state: u.state, from: u.postedAt, to: null });
      continue;
    }
    last.to = u.postedAt < last.from ? last.from : u.postedAt;
    phases.push({ state: u.state, from: last.to, to: null });
  }
  const last = phases.at(-1)!;
  if (last.state !== 'resolved') last.to = end < last.from ? last.from : end;
  // An update posted the moment the incident started (or before it) leaves an empty phase: not one.
  // (A start typed in the future leaves only empty phases: the last one stands.)
  const kept = phases.filter((p) => p.to === null || p.to > p.from);
  return kept.length > 0 ? kept : [phases.at(-1)!];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `Sunday 1 March 2026`: the local day of an instant, as a sentence names it. */
export function longDate(at: Date, zone: Zone): string {
  const { year, month, day } = toLocal(at, zone);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${day} ${MONTHS[month - 1]} ${year}`;
}

function dayNumber(at: Date, zone: Zone): number {
  const { year, month, day } = toLocal(at, zone);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/**
 * The summary's opening, before the title: "On Sunday 1 March 2026, between 23:40 and 01:05 the next
 * day (Europe/Berlin)", "Between Sunday 1 March 2026 at 23:40 and Tuesday 3 March 2026 at 02:00
 * (…)", "Since Sunday 1 March 2026 at 23:40 (…)".
 */
export function summaryWhen(startedAt: Date, endedAt: Date | null, clock: DraftClock): string {
  const { zone } = clock;
  const zoneName = `(${clock.zoneName})`;
  if (!endedAt) return `Since ${longDate(startedAt, zone)} at ${clock.time(startedAt)} ${zoneName}`;
  const days = dayNumber(endedAt, zone) - dayNumber(startedAt, zone);
  if (days === 0) return `On ${longDate(startedAt, zone)}, between ${clock.time(startedAt)} and ${clock.time(endedAt)} ${zoneName}`;
  if (days === 1) return `On ${longDate(startedAt, zone)}, between ${clock.time(startedAt)} and ${clock.time(endedAt)} the next day ${zoneName}`;
  return `Between ${longDate(startedAt, zone)} at ${clock.time(startedAt)} and ${longDate(endedAt, zone)} at ${clock.time(endedAt)} ${zoneName}`;
}

/** "Severity 2; 1h 25m from start to resolution." and its kin for closed-unresolved and still open incidents. */
export function summaryMeasure(head: IncidentRecordHead, generatedAt: Date): string {
  const { incident } = head;
  const started = incident.startedAt.getTime();
  if (incident.resolvedAt) return `Severity ${incident.severity}; ${showDuration(incident.resolvedAt.getTime() - started)} from start to resolution.`;
  if (incident.closedAt) return `Severity ${incident.severity}; closed without a resolution ${showDuration(incident.closedAt.getTime() - started)} after it started.`;
  return `Severity ${incident.severity}; still open, ${showDuration(generatedAt.getTime() - started)} after it started when this draft was made.`;
}

export function draftState(head: IncidentRecordHead): string {
  return head.incident.closedAt ? 'closed' : head.incident.state;
}

export function draftRef(head: IncidentRecordHead): string {
  return incidentRef(head.incident.id);
}

export function draftZone(head: IncidentRecordHead): Zone {
  return zoneOf(head.incident);
}

const DAY_MS = 86_400_000;

/**
 * The first instant of the local day starting at this wall-clock midnight: the (first) midnight, or,
 * where a switch skipped midnight (Havana), the switch, when the offset of the day before ended.
 */
function startOfLocalDay(midnightWallMs: number, zone: Zone): number {
  const [midnight] = instantsOfLocal(fieldsOfWallClockMillis(midnightWallMs), zone);
  return midnight ? midnight.getTime() : midnightWallMs - offsetMillisAt(zone, midnightWallMs - DAY_MS);
}

/** Whether the zone's offset changes during the local day of that instant: a DST switch, or a change of standard time. */
export function offsetChangesOnDayOf(at: Date, zone: Zone): boolean {
  if (zone.fixedOffsetMinutes !== null) return false;
  const midnightWallMs = wallClockMillis({ ...toLocal(at, zone), hour: 0, minute: 0, second: 0 });
  const lastOfDayBefore = startOfLocalDay(midnightWallMs, zone) - 1;
  const lastOfDay = startOfLocalDay(midnightWallMs + DAY_MS, zone) - 1;
  return offsetMillisAt(zone, lastOfDayBefore) !== offsetMillisAt(zone, lastOfDay);
}

/** `2026-03-01 (Sunday)`: a day heading says the weekday, which is how people remember nights. */
export function dayHeading(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  return `${date} (${weekday})`;
}
