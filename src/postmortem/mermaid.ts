import { formatDateFields, formatTimeFields, toLocal, wallClockMillis } from '../core/zone.ts';
import type { DraftClock, StatusPhase } from './draft.ts';

/**
 * The status phases as a Mermaid `gantt` chart, which GitHub, GitLab and most wikis draw. No user
 * text goes in: the states are firebell's words and the title is the incident's ref, so nothing
 * typed can break the chart. Times are wall-clock times in the incident's zone, to the minute.
 */
export function mermaidGantt(ref: string, phases: readonly StatusPhase[], clock: DraftClock): string {
  const wallClock = (at: Date) => {
    const local = toLocal(at, clock.zone);
    return `${formatDateFields(local)} ${formatTimeFields(local)}`;
  };
  const firstDay = formatDateFields(toLocal(phases[0]!.from, clock.zone));
  const lastAt = phases.at(-1)!.to ?? phases.at(-1)!.from;
  const oneDay = formatDateFields(toLocal(lastAt, clock.zone)) === firstDay;
  const lines = [
    '```mermaid',
    'gantt',
    `    title ${ref} status over time, ${clock.zoneName.replace(/[#;]/g, ' ')}`,
    '    dateFormat YYYY-MM-DD HH:mm',
    `    axisFormat ${oneDay ? '%H:%M' : '%d %b %H:%M'}`,
    '    section Status',
  ];
  phases.forEach((p, i) => {
    const name = p.state[0]!.toUpperCase() + p.state.slice(1);
    // In a fall-back night the wall clock goes backwards: an end before its start would not draw.
    const to = p.to && wallClockMillis(toLocal(p.to, clock.zone)) < wallClockMillis(toLocal(p.from, clock.zone)) ? p.from : p.to;
    if (to) lines.push(`    ${name} :phase${i + 1}, ${wallClock(p.from)}, ${wallClock(to)}`);
    else lines.push(`    ${name} :milestone, phase${i + 1}, ${wallClock(p.from)}, 0m`);
  });
  lines.push('```');
  return lines.join('\n');
}
