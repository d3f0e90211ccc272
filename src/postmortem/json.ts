import type { IncidentRecord } from '../core/record.ts';
import { formatLocalDateTime, formatLocalDateTimeWithOffset } from '../core/zone.ts';
import { draftPostmortem } from './draft.ts';

/**
 * The postmortem draft as JSON: instants in ISO 8601 UTC, beside their local rendering, which on a
 * day when the zone's offset changes carries the offset, as the Markdown does.
 */
export function renderPostmortemJson(record: IncidentRecord, generatedAt: Date): string {
  const d = draftPostmortem(record);
  const local = (t: Date) => (d.offsetShownAt(t) ? formatLocalDateTimeWithOffset(t, d.zone) : formatLocalDateTime(t, d.zone));
  const instant = (t: Date | null) => (t ? { at: t.toISOString(), local: local(t) } : null);
  return JSON.stringify(
    {
      ref: d.ref,
      title: d.title,
      severity: d.severity,
      state: d.state,
      timeZone: d.zone.name,
      generatedAt: generatedAt.toISOString(),
      started: instant(d.startedAt),
      ended: instant(d.endedAt),
      durationSeconds: d.durationMs === null ? null : Math.round(d.durationMs / 1000),
      roles: record.roles.map((r) => ({ role: r.role, holder: r.holder, holderId: r.holderId })),
      participants: d.participants,
      timeline: d.days
        .flatMap((day) => day.entries)
        .map((e) => ({ id: e.id, ...instant(e.occurredAt), kind: e.kind, author: e.author, text: e.text, edited: e.edited })),
      statusUpdates: record.statusUpdates.map((u) => ({ ...instant(u.postedAt), state: u.state, message: u.message, author: u.author })),
      followups: record.followups.map((f) => ({ id: `F-${f.id}`, text: f.text, owner: f.owner, due: f.dueOn })),
      corrections: record.revisions.map((r) => ({
        entryId: r.entryId,
        action: r.action,
        previousText: r.previousText,
        newText: r.newText,
        changedBy: r.changedBy,
        ...instant(r.changedAt),
      })),
    },
    null,
    2,
  );
}
