import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { NoticeConsumer } from '../../chat/types.ts';
import type { Clock } from '../../core/clock.ts';
import type { Notice } from '../../core/notices.ts';
import { renderAtomFeed } from './render-feed.ts';
import { renderIncidentHtml, renderIndexHtml } from './render-html.ts';
import { renderStatusJson } from './render-json.ts';
import { applyPosted, applyQueued, applyRevised, EMPTY_SNAPSHOT, parseSnapshot, sameContent, type QueuedUpdate, type SiteSnapshot } from './snapshot.ts';
import { incidentPagePath, siteView } from './view.ts';

export interface StaticSiteOptions {
  /** STATUS_SITE_DIR: what is published. */
  dir: string;
  /** The local snapshot the site is rebuilt from (in DATA_DIR). */
  snapshotPath: string;
  /** The site's public address (`PUBLIC_URL/status/`), if it has one. */
  baseUrl: string | null;
  name?: string;
  clock: Clock;
  log: Logger;
  /**
   * What the database holds, as a snapshot: the first one when there is no file yet (the site starts
   * on an existing record), and what resync() compares the page with.
   */
  recorded?: () => Promise<SiteSnapshot>;
}

let tempCounter = 0;

/** Writes a file so that a reader sees the old one or the new one, never half of either. */
async function replaceFile(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${process.pid}-${++tempCounter}.tmp`);
  await writeFile(tmp, content);
  await rename(tmp, path);
}

/**
 * The built-in status page (DESIGN §4, lesson 2): index.html, a page per incident, status.json and
 * feed.atom in STATUS_SITE_DIR, each replaced atomically. It is rebuilt from a local snapshot, not
 * from the database: recorded updates arrive as `status_posted` notices through the chat outbox,
 * and an update typed while the database is down is shown at once from the command itself.
 */
export class StaticSite implements NoticeConsumer {
  readonly name = 'status-site';
  private snapshot: SiteSnapshot = EMPTY_SNAPSHOT;
  /** Writes happen one after another, each from the snapshot as it is then. */
  private writing: Promise<void> = Promise.resolve();
  /** Counts the updates applied here, so a resync never overwrites one that arrived during its load. */
  private applied = 0;

  private constructor(private readonly opts: StaticSiteOptions) {}

  /** Reads the snapshot (a missing or unreadable one starts empty) and writes every page from it. */
  static async open(opts: StaticSiteOptions): Promise<StaticSite> {
    const site = new StaticSite(opts);
    const text = await readFile(opts.snapshotPath, 'utf8').catch(() => null);
    const parsed = text === null ? null : parseSnapshot(text);
    if (parsed) site.snapshot = parsed;
    else {
      if (text !== null) opts.log.warn({ path: opts.snapshotPath }, 'status site snapshot unreadable; rebuilt from the database');
      if (opts.recorded) site.snapshot = await opts.recorded();
    }
    await site.publish(null);
    return site;
  }

  get dir(): string {
    return this.opts.dir;
  }

  wants(notice: Notice): boolean {
    return notice.kind === 'status_posted' || notice.kind === 'status_revised';
  }

  async deliver(notice: Notice): Promise<void> {
    if (notice.kind === 'status_posted') this.snapshot = applyPosted(this.snapshot, notice.incident, notice.update);
    else if (notice.kind === 'status_revised') this.snapshot = applyRevised(this.snapshot, notice.incident, notice.updateId, notice.message);
    else return;
    this.applied += 1;
    await this.publish(notice.incident.id);
  }

  /** Shows an update typed while the database is down; false when the page cannot tell which incident it is about. */
  async showQueued(update: QueuedUpdate): Promise<boolean> {
    const next = applyQueued(this.snapshot, update);
    if (!next) return false;
    this.snapshot = next;
    this.applied += 1;
    const incident = update.incidentId ?? next.incidents.find((i) => i.updates.some((u) => u.key === update.key))?.id ?? null;
    await this.publish(incident);
    return true;
  }

  /**
   * Brings the page in line with the database. Each notice reaches one instance, so with several
   * on one database an update another one delivered is only seen here this way. `settled` says
   * that nothing typed here still waits to be recorded: until then the page knows more than the
   * database, and is left as it is. True when the page changed.
   */
  async resync(settled: () => boolean): Promise<boolean> {
    if (!this.opts.recorded || !settled()) return false;
    const applied = this.applied;
    const recorded = await this.opts.recorded();
    // An update applied during the load may be newer than what was read: the next resync catches up.
    if (applied !== this.applied || !settled() || sameContent(recorded, this.snapshot)) return false;
    this.snapshot = recorded;
    await this.publish(null);
    return true;
  }

  /** Resolves once every write asked for so far is done. */
  written(): Promise<void> {
    return this.writing;
  }

  /** Writes the snapshot, then the pages that change: every one when `incidentId` is null. */
  private publish(incidentId: number | null): Promise<void> {
    const snapshot = this.snapshot;
    const run = this.writing.then(() => this.write(snapshot, incidentId));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async write(snapshot: SiteSnapshot, incidentId: number | null): Promise<void> {
    const { dir, snapshotPath, baseUrl, clock } = this.opts;
    await mkdir(join(dir, 'incidents'), { recursive: true });
    await mkdir(dirname(snapshotPath), { recursive: true });
    await replaceFile(snapshotPath, JSON.stringify(snapshot));
    const view = siteView(snapshot, clock.now(), this.opts.name ?? 'Service status', baseUrl);
    const pages = snapshot.incidents.filter((i) => i.updates.length > 0 && (incidentId === null || i.id === incidentId));
    await Promise.all([
      replaceFile(join(dir, 'index.html'), renderIndexHtml(view)),
      replaceFile(join(dir, 'status.json'), renderStatusJson(view)),
      replaceFile(join(dir, 'feed.atom'), renderAtomFeed(view, [...view.active, ...view.history])),
      ...pages.map((i) => replaceFile(join(dir, incidentPagePath(i.id)), renderIncidentHtml(view, i))),
    ]);
  }
}
