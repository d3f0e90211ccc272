import { describe, expect, test } from 'vitest';
import { precedingWarnings, precedingWindow } from '../../src/core/preceding-warnings.ts';
import type { Warning } from '../../src/core/warning-model.ts';

const at = (iso: string) => new Date(iso);

/** INC-5 started Tuesday 10:00 and was resolved at 12:00. */
const incident = { id: 5, startedAt: at('2026-03-10T10:00:00Z'), resolvedAt: at('2026-03-10T12:00:00Z'), closedAt: at('2026-03-10T13:00:00Z') };

let nextId = 1;
function warning(summary: string, labels: Record<string, string>, firstSeenAt: string, lastSeenAt = firstSeenAt, over: Partial<Warning> = {}): Warning {
  return {
    id: nextId++,
    fingerprint: `fp-${summary}`,
    summary,
    severity: labels.severity ?? null,
    owner: null,
    labels,
    generatorUrl: null,
    state: 'open',
    firstSeenAt: at(firstSeenAt),
    lastSeenAt: at(lastSeenAt),
    fireCount: 3,
    nagCount: 2,
    openedAt: at(firstSeenAt),
    episodeNagCount: 0,
    lastNagAt: null,
    ackedAt: null,
    ackedBy: null,
    ackedById: null,
    ackNote: null,
    snoozedUntil: null,
    habitual: false,
    nextNagAt: null,
    resolvedAt: null,
    incidentId: null,
    ...over,
  };
}

const promoted = () =>
  warning('Checkout 5xx above 2%', { alertname: 'Checkout5xx', service: 'checkout', severity: 'critical', team: 'payments' }, '2026-03-10T09:55:00Z', '2026-03-10T09:58:00Z', {
    incidentId: 5,
    ackedBy: 'dana',
    ackedAt: at('2026-03-10T10:01:00Z'),
  });

const names = (ws: readonly { name: string }[]) => ws.map((w) => w.name);

describe('warnings before an incident', () => {
  test('a warning promoted into the incident is linked, whenever it fired', () => {
    const old = warning('Replica lag', { alertname: 'ReplicaLag' }, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', { incidentId: 5 });
    expect(precedingWarnings(incident, [old])).toEqual([
      { name: `W-${old.id}: Replica lag`, linkedBy: 'promote', sharedLabels: null, firstFiredAt: old.firstSeenAt, fireCount: 3, nagCount: 2, ackedBy: null, ackedAt: null },
    ]);
  });

  test('a warning sharing a specific label pair in the window is shown with the pairs it shares', () => {
    const linked = promoted();
    const pool = warning('DB pool saturated', { alertname: 'PoolSaturated', service: 'checkout', severity: 'critical' }, '2026-03-08T22:00:00Z', '2026-03-10T09:00:00Z');
    const shown = precedingWarnings(incident, [linked, pool]);
    expect(shown.map((w) => [w.name, w.linkedBy, w.sharedLabels])).toEqual([
      [`W-${pool.id}: DB pool saturated`, 'labels', { service: 'checkout' }],
      [`W-${linked.id}: Checkout 5xx above 2%`, 'promote', null],
    ]);
  });

  test('sharing only generic labels such as severity or team relates nothing', () => {
    const disk = warning('Disk 91% full on batch-3', { alertname: 'DiskFull', service: 'batch', severity: 'critical', team: 'payments' }, '2026-03-09T10:00:00Z');
    expect(names(precedingWarnings(incident, [promoted(), disk]))).toEqual([expect.stringContaining('Checkout 5xx')]);
  });

  test('the same label name with another value is not shared', () => {
    const search = warning('Search 5xx', { alertname: 'Search5xx', service: 'search' }, '2026-03-09T10:00:00Z');
    expect(names(precedingWarnings(incident, [promoted(), search]))).toHaveLength(1);
  });

  test('the window runs from 7 days before the start until the resolution', () => {
    const labels = { service: 'checkout' };
    const lastFiredEightDaysBefore = warning('eight days before', labels, '2026-03-01T00:00:00Z', '2026-03-02T09:59:00Z');
    const lastFiredSevenDaysBefore = warning('seven days before', labels, '2026-03-01T00:00:00Z', '2026-03-03T10:00:00Z');
    const firedDuring = warning('during', labels, '2026-03-10T11:59:00Z');
    const firedAtResolution = warning('at resolution', labels, '2026-03-10T12:00:00Z');
    const firedAfter = warning('after', labels, '2026-03-10T12:01:00Z');
    const shown = precedingWarnings(incident, [promoted(), lastFiredEightDaysBefore, lastFiredSevenDaysBefore, firedDuring, firedAtResolution, firedAfter]);
    expect(shown.filter((w) => w.linkedBy === 'labels').map((w) => w.name.replace(/^W-\d+: /, ''))).toEqual(['seven days before', 'during', 'at resolution']);
  });

  test('an unresolved incident ends its window when it closed, an open one never', () => {
    const late = warning('late', { service: 'checkout' }, '2026-03-20T00:00:00Z');
    const closed = { ...incident, resolvedAt: null };
    expect(precedingWindow(closed).to).toEqual(closed.closedAt);
    expect(precedingWarnings(closed, [promoted(), late])).toHaveLength(1);
    const open = { ...incident, resolvedAt: null, closedAt: null };
    expect(precedingWindow(open)).toEqual({ from: at('2026-03-03T10:00:00Z'), to: null });
    expect(precedingWarnings(open, [promoted(), late])).toHaveLength(2);
  });

  test('an incident nothing was promoted into has no labels: a warning that fired just before it is not shown', () => {
    const justBefore = warning('Checkout 5xx', { service: 'checkout' }, '2026-03-10T09:59:00Z');
    expect(precedingWarnings(incident, [justBefore])).toEqual([]);
  });

  test('a warning promoted into another incident still shows here when it shares labels', () => {
    const other = warning('Checkout latency', { service: 'checkout' }, '2026-03-09T10:00:00Z', '2026-03-09T10:00:00Z', { incidentId: 4 });
    expect(precedingWarnings(incident, [promoted(), other]).map((w) => w.linkedBy)).toEqual(['labels', 'promote']);
  });
});
