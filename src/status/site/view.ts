import { incidentRef, type StatusState } from '../../core/model.ts';
import { impactOf, type Impact } from '../impact.ts';
import type { SiteIncident, SiteSnapshot, SiteUpdate } from './snapshot.ts';

/** How far back the page lists resolved incidents. */
export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/** What every page of the site shows, worked out once from the snapshot (pure: the renderers only format it). */
export interface SiteView {
  name: string;
  generatedAt: Date;
  /** The site's public address (`PUBLIC_URL/status/`), when known: the feed's links need one. */
  baseUrl: string | null;
  indicator: Impact;
  description: string;
  /** Not resolved, newest first. */
  active: SiteIncident[];
  /** Resolved within HISTORY_DAYS, most recently resolved first. */
  history: SiteIncident[];
}

const WORST_FIRST: readonly Impact[] = ['critical', 'major', 'minor', 'none'];

export function siteView(snapshot: SiteSnapshot, now: Date, name: string, baseUrl: string | null): SiteView {
  const shown = snapshot.incidents.filter((i) => i.updates.length > 0);
  const active = shown.filter((i) => i.state !== 'resolved').sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const since = now.getTime() - HISTORY_DAYS * DAY_MS;
  const history = shown
    .filter((i) => i.state === 'resolved' && endedAt(i).getTime() >= since)
    .sort((a, b) => endedAt(b).getTime() - endedAt(a).getTime());
  const impacts = active.map((i) => impactOf(i.severity));
  const indicator = active.length === 0 ? 'none' : (WORST_FIRST.find((w) => impacts.includes(w)) ?? 'none');
  const description =
    active.length === 0 ? 'All systems operational' : active.length === 1 ? 'One active incident' : `${active.length} active incidents`;
  return { name, generatedAt: now, baseUrl, indicator, description, active, history };
}

function endedAt(i: SiteIncident): Date {
  return i.resolvedAt ?? latestUpdate(i)?.postedAt ?? i.startedAt;
}

export function latestUpdate(i: SiteIncident): SiteUpdate | undefined {
  return i.updates.at(-1);
}

export function newestFirst(i: SiteIncident): SiteUpdate[] {
  return [...i.updates].reverse();
}

/** The incident's page, relative to the site's root. */
export function incidentPagePath(id: number): string {
  return `incidents/${incidentRef(id)}.html`;
}

export const STATE_WORDS: Record<StatusState, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/** `2026-03-01 10:05 UTC`: the page states its zone. */
export function formatUtc(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
