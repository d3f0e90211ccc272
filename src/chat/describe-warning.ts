import { formatDuration } from '../core/duration.ts';
import { ackedThisEpisode, warningRef, type Warning } from '../core/warning-model.ts';
import { formatLocalTime, type Zone } from '../core/zone.ts';
import { strong, type LinePart } from './reply.ts';

function times(n: number): string {
  return `${n}×`;
}

/** One warning as `warnings` lists it: age, fire count, nag count, owner, and what stops its nags. */
export function warningLine(w: Warning, now: Date, zone: Zone): LinePart[] {
  const state = w.habitual
    ? ' · 🔥 habitually ignored'
    : ackedThisEpisode(w)
      ? ` · acked by ${w.ackedBy ?? 'someone'}`
      : w.snoozedUntil && w.snoozedUntil.getTime() > now.getTime()
        ? ` · snoozed until ${formatLocalTime(w.snoozedUntil, zone)}`
        : '';
  return [
    strong(warningRef(w.id)),
    ` ${formatDuration(now.getTime() - w.openedAt.getTime())} old · fired ${times(w.fireCount)} · nagged ${times(w.nagCount)} · owner ${w.owner?.name ?? 'none'}${state} · `,
    w.summary,
  ];
}
