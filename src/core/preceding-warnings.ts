import type { Incident } from './model.ts';
import { warningRef, type Warning } from './warning-model.ts';

/**
 * Which warnings came before an incident (DESIGN §1 lesson 3, §6; issue 21 section 9): the "ignored
 * fuel light" evidence in its postmortem. The rule:
 *
 * - A warning promoted into the incident is linked to it, whenever it fired.
 * - The incident's labels are the label pairs (`service=checkout`) of the warnings promoted into
 *   it, less the generic ones below. An incident started by hand has none, so only warnings
 *   promoted into it are shown.
 * - Any other warning that has one of those pairs, and fired within the window — from 7 days
 *   before the incident started until it was resolved (closed, if never resolved; no end while it
 *   is open) — shares its labels. It fired in the window when its first and last firings overlap it.
 */

/** How long before an incident's start a warning still counts as preceding it. */
export const PRECEDING_WINDOW_MS = 7 * 86_400_000;

/**
 * Labels that say how loud a warning is, whose it is or where it was seen, not what is wrong:
 * every warning of a team or a cluster shares them, so sharing one relates nothing.
 */
export const GENERIC_LABELS: readonly string[] = [
  'severity',
  'priority',
  'owner',
  'team',
  'env',
  'environment',
  'region',
  'cluster',
  'job',
  'prometheus',
  'replica',
  'monitor',
  'receiver',
];

/** A warning that came before the incident, as its postmortem shows it. */
export interface PrecedingWarning {
  /** `W-3: Replica lag above 30s`. */
  name: string;
  linkedBy: 'promote' | 'labels';
  /** The incident's label pairs it has, by label name; null when it was promoted into the incident. */
  sharedLabels: Record<string, string> | null;
  firstFiredAt: Date;
  fireCount: number;
  nagCount: number;
  ackedBy: string | null;
  ackedAt: Date | null;
}

export interface PrecedingWindow {
  from: Date;
  /** Null while the incident is neither resolved nor closed. */
  to: Date | null;
}

export function precedingWindow(incident: Pick<Incident, 'startedAt' | 'resolvedAt' | 'closedAt'>): PrecedingWindow {
  return { from: new Date(incident.startedAt.getTime() - PRECEDING_WINDOW_MS), to: incident.resolvedAt ?? incident.closedAt };
}

function firedWithin(w: Pick<Warning, 'firstSeenAt' | 'lastSeenAt'>, window: PrecedingWindow): boolean {
  return w.lastSeenAt >= window.from && (window.to === null || w.firstSeenAt <= window.to);
}

/** The specific label pairs of these warnings, each as JSON `[name, value]` (a value may hold `=`). */
function specificPairs(warnings: readonly Pick<Warning, 'labels'>[]): Set<string> {
  const pairs = new Set<string>();
  for (const w of warnings) {
    for (const [name, value] of Object.entries(w.labels)) if (!GENERIC_LABELS.includes(name)) pairs.add(JSON.stringify([name, value]));
  }
  return pairs;
}

/**
 * The warnings that preceded the incident, from candidates that include at least those the rule
 * keeps (the store narrows them down in SQL; this is the rule itself): linked ones and those
 * sharing its labels in the window, oldest first firing first.
 */
export function precedingWarnings(incident: Pick<Incident, 'id' | 'startedAt' | 'resolvedAt' | 'closedAt'>, candidates: readonly Warning[]): PrecedingWarning[] {
  const linked = candidates.filter((w) => w.incidentId === incident.id);
  const pairs = specificPairs(linked);
  const window = precedingWindow(incident);
  const shown: PrecedingWarning[] = [];
  const oldestFirst = [...candidates].sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime() || a.id - b.id);
  for (const w of oldestFirst) {
    let sharedLabels: Record<string, string> | null = null;
    if (w.incidentId !== incident.id) {
      if (!firedWithin(w, window)) continue;
      const shared = Object.entries(w.labels).filter(([name, value]) => pairs.has(JSON.stringify([name, value])));
      if (shared.length === 0) continue;
      sharedLabels = Object.fromEntries(shared.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    shown.push({
      name: `${warningRef(w.id)}: ${w.summary}`,
      linkedBy: sharedLabels ? 'labels' : 'promote',
      sharedLabels,
      firstFiredAt: w.firstSeenAt,
      fireCount: w.fireCount,
      nagCount: w.nagCount,
      ackedBy: w.ackedBy,
      ackedAt: w.ackedAt,
    });
  }
  return shown;
}
