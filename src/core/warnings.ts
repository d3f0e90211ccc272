import { createHash } from 'node:crypto';
import type { CoreContext } from './context.ts';
import { fail, ok, type Result } from './errors.ts';
import { openIncident } from './incidents.ts';
import { DEFAULT_SEVERITY, incidentRef, type Incident } from './model.ts';
import { isHabitual, nextNagAt, type NagPolicy } from './nag-policy.ts';
import type { Notice, RoleHolder, WarningBrief } from './notices.ts';
import { parsePersonRef, personKey } from './people.ts';
import { writeEntry } from './timeline.ts';
import { ackedThisEpisode, nagStateOf, warningRef, type Warning } from './warning-model.ts';
import type { Store } from '../store/store.ts';

/** How warnings are handled, from the configuration: the nag policy and who owns what. */
export interface WarningSettings {
  policy: NagPolicy;
  /** WARNING_OWNERS: a label value (`db`, `checkout`) → the person who owns warnings carrying it. */
  owners: ReadonlyMap<string, string>;
}

/** A warning firing or resolving, from Alertmanager, the generic hook or the `warn` command. */
export interface WarningReport {
  fingerprint: string;
  summary: string;
  severity: string | null;
  /** The owner as the source named them (an `owner` label or field); WARNING_OWNERS is the fallback. */
  owner: string | null;
  labels: Record<string, string>;
  generatorUrl: string | null;
  status: 'firing' | 'resolved';
  /** When it started firing (or ended); null: when it was received. */
  at: Date | null;
}

/** Alertmanager's fingerprint when it sent one; else a stable hash of the labels (order does not matter). */
export function labelsFingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return `labels:${createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16)}`;
}

/** A warning typed without --key: the same words (in any case or spacing) are the same warning. */
export function textFingerprint(text: string): string {
  const normal = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return `text:${createHash('sha256').update(normal).digest('hex').slice(0, 16)}`;
}

/** A person named as an owner, as notices mention them: a Slack mention keeps its id, a plain name is matched by name. */
export function ownerHolder(name: string): RoleHolder | null {
  const ref = parsePersonRef(name.trim());
  if (!ref) return null;
  return ref.platform !== null && ref.id !== null ? { name: ref.name, id: personKey({ platform: ref.platform, id: ref.id }) } : { name: ref.name, id: ref.name };
}

/** The owner a report names, else the first WARNING_OWNERS entry matching one of its labels' values (by label name). */
export function findOwner(report: Pick<WarningReport, 'owner' | 'labels'>, owners: ReadonlyMap<string, string>): RoleHolder | null {
  const named = report.owner ?? report.labels.owner ?? null;
  if (named) return ownerHolder(named);
  for (const key of Object.keys(report.labels).sort()) {
    const person = owners.get(report.labels[key]!);
    if (person) return ownerHolder(person);
  }
  return null;
}

export function warningBrief(w: Warning): WarningBrief {
  return {
    id: w.id,
    summary: w.summary,
    severity: w.severity,
    owner: w.owner,
    fireCount: w.fireCount,
    nagCount: w.nagCount,
    habitual: w.habitual,
    openedAt: w.openedAt,
  };
}

export type FiringChange = 'new' | 'again' | 'reopened';

/** The instant a report is about: its own time, but never after it was received (clocks drift). */
function reportedAt(report: WarningReport, receivedAt: Date): Date {
  return report.at && report.at.getTime() < receivedAt.getTime() ? report.at : receivedAt;
}

/** A warning firing, as received at `now`. */
export interface Firing {
  report: WarningReport;
  now: Date;
}

/**
 * A warning fired: made, fired again, or reopened after resolving (its nag schedule starts over).
 * Firing often enough without an ack flags it habitually ignored, and that nags at once.
 */
export async function recordFiring(
  ctx: Pick<CoreContext, 'store' | 'now'>,
  report: WarningReport,
  settings: WarningSettings,
): Promise<{ warning: Warning; change: FiringChange }> {
  const [fired] = await recordFirings(ctx.store, [{ report, now: ctx.now }], settings);
  if (!fired) throw new Error(`firing of ${report.fingerprint} was not recorded`);
  return fired;
}

/**
 * recordFiring() for many warnings at once, in a few statements whatever their number: an
 * Alertmanager batch. Each fingerprint may appear once (a second firing must see the first's).
 */
export async function recordFirings(
  store: Store,
  firings: readonly Firing[],
  settings: WarningSettings,
): Promise<{ warning: Warning; change: FiringChange }[]> {
  if (new Set(firings.map((f) => f.report.fingerprint)).size !== firings.length) {
    throw new Error('recordFirings: a fingerprint appears twice in one batch');
  }
  const ats = firings.map((f) => reportedAt(f.report, f.now));
  const taken = await store.warnings.takeMany(firings.map((f, i) => ({ fingerprint: f.report.fingerprint, summary: f.report.summary, at: ats[i]! })));
  const fired = firings.map(({ report }, i) => {
    const { warning: before, created } = taken[i]!;
    const at = ats[i]!;
    const change: FiringChange = created ? 'new' : before.state === 'resolved' ? 'reopened' : 'again';
    const w: Warning = {
      ...before,
      summary: report.summary,
      severity: report.severity ?? before.severity,
      owner: findOwner(report, settings.owners) ?? before.owner,
      labels: Object.keys(report.labels).length > 0 ? report.labels : before.labels,
      generatorUrl: report.generatorUrl ?? before.generatorUrl,
      lastSeenAt: new Date(Math.max(before.lastSeenAt.getTime(), at.getTime())),
      fireCount: before.fireCount + 1,
    };
    if (change === 'reopened') {
      Object.assign(w, { state: 'open', openedAt: at, episodeNagCount: 0, lastNagAt: null, resolvedAt: null });
    }
    return { warning: w, change };
  });
  const windows = await store.warnings.addFirings(
    fired.map(({ warning }, i) => ({ warningId: warning.id, at: ats[i]!, since: new Date(firings[i]!.now.getTime() - settings.policy.habitualWindowMs) })),
  );
  fired.forEach(({ warning: w }, i) => {
    const now = firings[i]!.now;
    const wasHabitual = w.habitual;
    w.habitual = wasHabitual || isHabitual(windows[i]!, w.ackedAt, settings.policy, now);
    // Newly flagged: say so now, whatever the schedule says (a flapping warning never waits 15 min).
    w.nextNagAt = w.habitual && !wasHabitual && !w.snoozedUntil ? now : nextNagAt(nagStateOf(w), settings.policy, now);
  });
  await store.warnings.saveMany(fired.map((f) => f.warning));
  return fired;
}

/**
 * A warning stopped firing: it closes and its nags stop. The ops channel hears how long it went
 * on, when someone heard of it there (it was nagged, acked or flagged); null when nothing was open.
 */
export async function recordResolved(ctx: Pick<CoreContext, 'store' | 'now' | 'notify'>, report: WarningReport): Promise<Warning | null> {
  const taken = await ctx.store.warnings.lockByFingerprint(report.fingerprint);
  if (!taken || taken.state !== 'open') return null;
  const at = new Date(Math.max(reportedAt(report, ctx.now).getTime(), taken.openedAt.getTime()));
  const w: Warning = { ...taken, state: 'resolved', resolvedAt: at, nextNagAt: null, lastSeenAt: new Date(Math.max(taken.lastSeenAt.getTime(), at.getTime())) };
  await ctx.store.warnings.save(w);
  const acked = ackedThisEpisode(w);
  if (w.episodeNagCount > 0 || acked || w.habitual) {
    ctx.notify({
      kind: 'warning_resolved',
      warning: warningBrief(w),
      openForMs: at.getTime() - w.openedAt.getTime(),
      nags: w.episodeNagCount,
      ackedBy: acked ? w.ackedBy : null,
    });
  }
  return w;
}

async function lockOpen(store: Store, id: number): Promise<Result<Warning>> {
  const w = await store.warnings.lock(id);
  if (!w) return fail('unknown_warning', `${warningRef(id)} does not exist: \`warnings\` lists the open ones`);
  if (w.state !== 'open') return fail('warning_resolved', `${warningRef(id)} is resolved already`);
  return ok(w);
}

/** Someone has it: the nags stop for this episode, and the habitual count starts again. */
export async function ackWarning(ctx: CoreContext, id: number, note: string | null): Promise<Result<Warning>> {
  const found = await lockOpen(ctx.store, id);
  if (!found.ok) return found;
  const w: Warning = {
    ...found.value,
    ackedAt: ctx.now,
    ackedBy: ctx.actor.name,
    ackedById: personKey(ctx.actor),
    ackNote: note,
    habitual: false,
    nextNagAt: null,
  };
  await ctx.store.warnings.save(w);
  return ok(w);
}

/** No nags until the snooze ends; then the schedule carries on where it was. */
export async function snoozeWarning(ctx: CoreContext, id: number, durationMs: number, policy: NagPolicy): Promise<Result<Warning>> {
  const found = await lockOpen(ctx.store, id);
  if (!found.ok) return found;
  const w: Warning = { ...found.value, snoozedUntil: new Date(ctx.now.getTime() + durationMs) };
  w.nextNagAt = nextNagAt(nagStateOf(w), policy, ctx.now);
  await ctx.store.warnings.save(w);
  return ok(w);
}

/** Alertmanager's usual severities, and sevN, as an incident's severity. */
export function incidentSeverityOf(severity: string | null): number {
  const s = (severity ?? '').trim().toLowerCase();
  const sev = /^(?:sev)?([1-4])$/.exec(s);
  if (sev) return Number(sev[1]);
  if (s === 'critical' || s === 'page') return 2;
  return DEFAULT_SEVERITY;
}

/**
 * Opens an incident from a warning. The incident's timeline starts with the warning's history (so
 * the postmortem shows it), and the warning counts as acked by whoever promoted it.
 */
export async function promoteWarning(ctx: CoreContext, id: number): Promise<Result<{ warning: Warning; incident: Incident }>> {
  const found = await lockOpen(ctx.store, id);
  if (!found.ok) return found;
  const before = found.value;
  if (before.incidentId !== null) {
    return fail('bad_argument', `${warningRef(id)} was promoted to ${incidentRef(before.incidentId)} already`);
  }
  const opened = await openIncident(ctx, { title: before.summary, severity: incidentSeverityOf(before.severity), at: null, timeZone: null });
  if (!opened.ok) return opened;
  const incident = opened.value;
  const acked = ackedThisEpisode(before) ? `acked by ${before.ackedBy}` : 'never acked';
  await writeEntry(
    ctx,
    incident.id,
    'detected',
    `Promoted from ${warningRef(id)} (${before.fingerprint}): first fired ${before.firstSeenAt.toISOString()}, fired ${before.fireCount} times, nagged ${before.nagCount} times, ${acked}${before.habitual ? ', habitually ignored' : ''}`,
    before.firstSeenAt,
  );
  const w: Warning = {
    ...before,
    incidentId: incident.id,
    ackedAt: ctx.now,
    ackedBy: ctx.actor.name,
    ackedById: personKey(ctx.actor),
    ackNote: `promoted to ${incidentRef(incident.id)}`,
    habitual: false,
    nextNagAt: null,
  };
  await ctx.store.warnings.save(w);
  return ok({ warning: w, incident });
}

/** What a worker needs to nag: the store of its transaction, and the outbox. */
export interface NagWork {
  store: Store;
  notify(notice: Notice): void;
}

/**
 * Sends up to `limit` due nags, inside the caller's transaction: each claimed row is skipped by
 * other instances until commit, and its notice is kept in the same commit, so a nag is neither
 * lost nor sent twice. Returns how many were sent.
 */
export async function sendDueNags(work: NagWork, policy: NagPolicy, now: Date, limit: number): Promise<number> {
  const due = await work.store.warnings.claimDue(now, limit);
  const sent = due.map((before): Warning => {
    const w: Warning = { ...before, nagCount: before.nagCount + 1, episodeNagCount: before.episodeNagCount + 1, lastNagAt: now };
    w.nextNagAt = nextNagAt(nagStateOf(w), policy, now);
    return w;
  });
  await work.store.warnings.recordNags(sent);
  for (const w of sent) work.notify({ kind: 'warning_nag', warning: warningBrief(w), nth: w.episodeNagCount });
  return due.length;
}
