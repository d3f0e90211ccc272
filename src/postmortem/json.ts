import { followupRef } from '../core/followups.ts';
import type { TimelineEntry } from '../core/model.ts';
import type { IncidentRecord, IncidentRecordHead } from '../core/record.ts';
import {
  draftClock,
  draftRef,
  draftState,
  draftZone,
  editedEntryIds,
  isOnTimeline,
  keyDurations,
  keyTimes,
  statusPhases,
  summaryMeasure,
  summaryWhen,
  type DraftEntry,
  type TimelineFacts,
} from './draft.ts';
import { renderDraft, type DraftFormat } from './render.ts';

/** The version of the shape below; it changes only when a field changes meaning or goes away. */
export const POSTMORTEM_JSON_VERSION = 1;

/**
 * The postmortem draft as JSON, `"version": 1`. An instant is `{ "at": ISO 8601 UTC, "local":
 * "YYYY-MM-DD HH:mm" in the incident's zone, with " +hh:mm" added on a day its offset changes }`,
 * or null when unknown. Text is as typed, unescaped. Fields, in order:
 *
 * - `version` 1; `ref` "INC-n"; `title`; `severity` 1-4; `state` investigating|identified|
 *   monitoring|resolved|closed; `timeZone` (IANA name or fixed offset); `generatedAt` ISO 8601 UTC;
 * - `summary`: the Markdown's summary sentence, unescaped;
 * - `started`, `ended` (resolved, else closed; null while open): instants; `durationSeconds` from
 *   started to ended, or null;
 * - `keyTimes`: { started, detected, acknowledged, mitigated, resolved, closed }: instants or null,
 *   and `keyTimeRules`: the rule each was found by;
 * - `durations`: [{ name: timeToDetect|timeToAcknowledge|timeToMitigate|timeToResolve, from, to
 *   (key time names), seconds }], only those whose two times are known; seconds may be negative
 *   when a backdated time is wrong;
 * - `statusPhases`: [{ state, from: instant, to: instant|null }] (`resolved` has no end);
 * - `roles`: [{ role, holder, holderId, since: instant }]; `participants`: [{ id, name, entries }];
 * - `impact`, `causes`: [{ id, at: instant|null (null when typed without a time), text, author,
 *   edited }];
 * - `statusUpdates`: [{ id, at, local, state, message, author, deliveries: [{ target, state
 *   pending|delivered|dead, attempts, lastError, deliveredAt: instant|null }] or null when
 *   deliveries are not recorded }];
 * - `warnings`: [{ name, linkedBy promote|labels, sharedLabels: { label: value } of the incident's
 *   labels it has, or null when promoted into it, firstFired: instant, fireCount, nagCount,
 *   ackedBy, acked: instant|null }], or null when warnings are not recorded (the rule:
 *   src/core/preceding-warnings.ts);
 * - `followups`: [{ id "F-n", text, owner, due YYYY-MM-DD|null, state open|done, done: instant|null
 *   (when `followup done` marked it), doneBy }];
 * - `corrections`: [{ entryId, action edit|delete, previousText, newText, changedBy, at, local }];
 * - `timeline` (last, so it can be written as it is read): [{ id, at, local, kind, author, addedBy,
 *   text, edited }], live entries in time order, without `impact`/`cause` typed without a time.
 */
export function renderPostmortemJson(record: IncidentRecord, generatedAt: Date): string {
  return renderDraft(record, jsonDraft, generatedAt);
}

export function jsonDraft(head: IncidentRecordHead, generatedAt: Date): DraftFormat {
  const clock = draftClock(draftZone(head));
  const instant = (t: Date | null) => (t ? { at: t.toISOString(), local: clock.dateTimeJson(t) } : null);
  const edited = editedEntryIds(head);
  let entries = 0;
  const judgement = (e: DraftEntry) => ({
    id: e.id,
    at: isOnTimeline(e) ? instant(e.occurredAt) : null,
    text: e.text,
    author: e.author,
    edited: e.edited,
  });
  return {
    before(facts: TimelineFacts) {
      const { incident } = head;
      const endedAt = incident.resolvedAt ?? incident.closedAt;
      const times = keyTimes(head, facts);
      const document = {
        version: POSTMORTEM_JSON_VERSION,
        ref: draftRef(head),
        title: incident.title,
        severity: incident.severity,
        state: draftState(head),
        timeZone: clock.zone.name,
        generatedAt: generatedAt.toISOString(),
        summary: `${summaryWhen(incident.startedAt, endedAt, clock)}, ${incident.title.trim().replace(/[.!?]+$/, '')}. ${summaryMeasure(head, generatedAt)}`,
        started: instant(incident.startedAt),
        ended: instant(endedAt),
        durationSeconds: endedAt ? Math.round((endedAt.getTime() - incident.startedAt.getTime()) / 1000) : null,
        keyTimes: Object.fromEntries(times.map((t) => [t.moment, instant(t.at)])),
        keyTimeRules: Object.fromEntries(times.map((t) => [t.moment, t.rule])),
        durations: keyDurations(times).map((d) => ({ name: d.name, from: d.from, to: d.to, seconds: Math.round(d.ms / 1000) })),
        statusPhases: statusPhases(head, generatedAt).map((p) => ({ state: p.state, from: instant(p.from), to: instant(p.to) })),
        roles: head.roles.map((r) => ({ role: r.role, holder: r.holder, holderId: r.holderId, since: instant(r.assignedAt) })),
        participants: facts.participants,
        impact: facts.impact.map(judgement),
        causes: facts.causes.map(judgement),
        statusUpdates: head.statusUpdates.map((u) => ({
          id: u.id,
          ...instant(u.postedAt),
          state: u.state,
          message: u.message,
          author: u.author,
          deliveries: head.deliveries
            ? head.deliveries
                .filter((d) => d.statusUpdateId === u.id)
                .map((d) => ({ target: d.target, state: d.state, attempts: d.attempts, lastError: d.lastError, deliveredAt: instant(d.deliveredAt) }))
            : null,
        })),
        warnings: head.warnings
          ? head.warnings.map((w) => ({
              name: w.name,
              linkedBy: w.linkedBy,
              sharedLabels: w.sharedLabels,
              firstFired: instant(w.firstFiredAt),
              fireCount: w.fireCount,
              nagCount: w.nagCount,
              ackedBy: w.ackedBy,
              acked: instant(w.ackedAt),
            }))
          : null,
        followups: head.followups.map((f) => ({
          id: followupRef(f.id),
          text: f.text,
          owner: f.owner,
          due: f.dueOn,
          state: f.doneAt ? 'done' : 'open',
          done: instant(f.doneAt),
          doneBy: f.doneBy,
        })),
        corrections: head.revisions.map((r) => ({
          entryId: r.entryId,
          action: r.action,
          previousText: r.previousText,
          newText: r.newText,
          changedBy: r.changedBy,
          ...instant(r.changedAt),
        })),
        timeline: [],
      };
      // Everything but the timeline's closing, which after() writes once the entries are out.
      const text = JSON.stringify(document, null, 2);
      return `${text.slice(0, text.lastIndexOf('[]'))}[`;
    },
    entry(e: TimelineEntry) {
      if (!isOnTimeline(e)) return '';
      const row = {
        id: e.id,
        ...instant(e.occurredAt),
        kind: e.kind,
        author: e.author,
        addedBy: e.addedBy,
        text: e.text,
        edited: edited.has(e.id),
      };
      return `${entries++ === 0 ? '' : ','}\n    ${JSON.stringify(row)}`;
    },
    after: () => `${entries === 0 ? '' : '\n  '}]\n}\n`,
  };
}
