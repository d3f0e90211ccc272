import { readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import { verbs } from '../commands/index.ts';
import { CommandExecutor, type JournalMode } from './app/command-executor.ts';
import { NagScheduler } from './app/nag-scheduler.ts';
import { NoticeOutbox, type NoticeOutboxOptions } from './app/notice-outbox.ts';
import { gatherHealth } from './app/health.ts';
import { Metrics } from './app/metrics.ts';
import { UnitOfWork } from './app/unit-of-work.ts';
import { LeasedAdapter } from './chat/leased-adapter.ts';
import { nodeScheduleTimer, type WakeUpTimer } from './app/wake-up.ts';
import { CommandRouter } from './chat/router.ts';
import { ShellAdapter } from './chat/shell/shell-adapter.ts';
import type { ChannelDirectory, ChatAdapter, NoticeConsumer } from './chat/types.ts';
import type { IrcTuning } from './chat/irc/irc-adapter.ts';
import type { Config } from './config.ts';
import { ControlChannel, controlSocketPath } from './control/channel.ts';
import { controlHandlers } from './control/requests.ts';
import type { Clock } from './core/clock.ts';
import type { Actor } from './core/people.ts';
import type { WarningSettings } from './core/warnings.ts';
import { loadIncidentRecord, openIncidentRecord } from './core/record.ts';
import { postmortemUrl } from './http/postmortem-link.ts';
import type { HttpRoute } from './http/route.ts';
import { healthRoute } from './http/routes/health.ts';
import { hookRoutes } from './http/routes/hooks.ts';
import { metricsRoute } from './http/routes/metrics.ts';
import { postmortemRoute } from './http/routes/postmortems.ts';
import { statusSiteRoute } from './http/routes/status-site.ts';
import { createHttpServer, listen } from './http/server.ts';
import type { PostmortemFormat } from './postmortem/export.ts';
import { renderPostmortem } from './postmortem/markdown.ts';
import { postmortemPath, postmortemWriter } from './postmortem/writer.ts';
import { describeHolder, lockDataDir } from './store/data-dir-lock.ts';
import type { Db } from './store/db.ts';
import { loadHttpSecret } from './store/http-secret.ts';
import { CommandJournal } from './store/journal.ts';
import { openLease, type Lease } from './store/lease.ts';
import { openDatabase } from './store/open.ts';
import { StartupError } from './startup-error.ts';
import { StatusDeliveryWorker, type StatusDeliveryWorkerOptions } from './status/delivery-worker.ts';
import { CLI_DELIVERIES_SHOWN, deliveryLines } from './status/describe-delivery.ts';
import { queuedStatusUpdate } from './status/queued-update.ts';
import { seedSnapshot } from './status/site/snapshot.ts';
import { StaticSite } from './status/site/static-site.ts';
import { HISTORY_DAYS as SITE_SEED_DAYS } from './status/site/view.ts';

import type { StatusTarget } from './status/target.ts';
import { configuredTargets } from './status/targets.ts';
import { sqlStore } from './store/sql-store.ts';

/** How often the status site is compared with the database: what another instance delivered shows up within it. */
const STATUS_SITE_SYNC_MS = 15_000;

export interface FirebellIo {
  clock: Clock;
  log: Logger;
  /**
   * The terminal the shell adapter would read. It runs when no chat platform is configured, or
   * beside them with FIREBELL_SHELL=1.
   */
  shell?: { input: Readable; output: Writable; interactive: boolean; user: Actor };
  /** Listen here instead of all interfaces (tests use 127.0.0.1). */
  httpHost?: string;
  /** Overrides the backend's journal mode: the bench measures what journaling every command costs. */
  journalMode?: JournalMode;
  /**
   * More chat adapters, made once the core is up (tests use one that can hang). Each is started with
   * the others and told about notices through the outbox.
   */
  adapters?: (core: AdapterCore) => ChatAdapter[];
  /** IRC reconnect and pacing, for tests that restart the server. */
  irc?: IrcTuning;
  /** Outbox tuning, for tests that watch retries. */
  outbox?: Pick<NoticeOutboxOptions, 'deliveryTimeoutMs' | 'retryDelaysMs' | 'maxAttempts' | 'random' | 'stopGraceMs'>;
  /** The nag scheduler's wake-up; tests pass one that fires when their clock moves. */
  wakeUp?: WakeUpTimer;
  /** Slack adapter tuning, for tests: the Web API client's retries. */
  slack?: { retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number } };
  /** Status delivery tuning, for tests that watch retries. */
  statusDelivery?: Pick<StatusDeliveryWorkerOptions, 'retry' | 'timeoutMs' | 'random' | 'pollMs' | 'leaseMs'>;
  /** More status targets besides the configured ones. */
  statusTargets?: StatusTarget[];
}

/** What an adapter is given: the one way in for commands, and what it may ask about channels. */
export interface AdapterCore {
  router: CommandRouter;
  channels: ChannelDirectory;
  /** Counters an adapter moves (chat reconnects; the IRC lease held). */
  metrics: Metrics;
  /**
   * A lease for what only one instance on the database may do (`irc`: hold the connection). It is
   * released when firebell stops, after the adapters have stopped.
   */
  openLease(name: string): Lease;
}

export interface Firebell {
  db: Db;
  router: CommandRouter;
  executor: CommandExecutor;
  journal: CommandJournal;
  outbox: NoticeOutbox;
  statusDeliveries: StatusDeliveryWorker;
  statusSite: StaticSite;
  work: UnitOfWork;
  metrics: Metrics;
  scheduler: NagScheduler;
  channels: ChannelDirectory;
  shell: ShellAdapter | null;
  /** The chat platforms it serves besides the shell: with any, it runs until stopped, not until input ends. */
  chatPlatforms: readonly string[];
  httpPort: number | null;
  /** Brings the status site in line with the database now (it does so every STATUS_SITE_SYNC_MS). */
  syncStatusSite(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Takes DATA_DIR and what lives in it: the database (PGlite's files, or a Postgres connection), the
 * journal and the control channel. Whatever was taken is given back if a later part fails.
 */
async function takeDataDir(config: Config, log: Logger, clock: Clock) {
  const dataDir = resolve(config.DATA_DIR);
  const socketPath = controlSocketPath(dataDir);
  const taken = await lockDataDir(dataDir, { command: 'run', socket: socketPath });
  if (!taken.ok) {
    const advice =
      taken.holder.command !== 'run'
        ? 'try again when it has finished'
        : config.DATABASE_URL
          ? 'give each process its own DATA_DIR'
          : 'stop it first, or give this one its own DATA_DIR';
    throw new StartupError(`${describeHolder(dataDir, taken.holder)}; ${advice}`);
  }
  const lock = taken.lock;
  let control: ControlChannel | null = null;
  let db: Db | null = null;
  try {
    // Listening before the database opens, so `firebell export` can ask (and wait) from the start.
    control = await ControlChannel.listen(socketPath, log).catch((err: unknown) => {
      log.warn({ err, socketPath }, 'no control socket: `firebell export` cannot ask this process');
      return null;
    });
    db = await openDatabase(config, log);
    // Loaded once: the HTTP side checks link tokens from memory, so it still can while the database is down.
    const httpSecret = await loadHttpSecret(db);
    const journal = await CommandJournal.open(join(dataDir, 'journal', 'commands.jsonl'), { log, clock });
    return { dataDir, lock, control, db, journal, httpSecret };
  } catch (err) {
    await control?.close();
    await db?.close();
    await lock.release();
    throw err;
  }
}

/** Wiring only: config → store → core → adapters, http. */
export async function startFirebell(config: Config, io: FirebellIo): Promise<Firebell> {
  const { clock, log } = io;
  const { dataDir, lock, control, db, journal, httpSecret } = await takeDataDir(config, log, clock);
  const load = (id: number) => loadIncidentRecord(sqlStore(db), id);
  const adapters: ChatAdapter[] = [];
  const siteDir = resolve(config.STATUS_SITE_DIR ?? join(dataDir, 'status-site'));
  const statusTargets = [...configuredTargets(config, clock), ...(io.statusTargets ?? [])];
  let statusSite: StaticSite;
  try {
    statusSite = await StaticSite.open({
      dir: siteDir,
      snapshotPath: join(dataDir, 'status', 'snapshot.json'),
      baseUrl: config.PUBLIC_URL ? `${config.PUBLIC_URL}/status/` : null,
      clock,
      log,
      recorded: async () => {
        const store = sqlStore(db);
        const updates = await store.statusUpdates.postedSince(new Date(clock.now().getTime() - SITE_SEED_DAYS * 86_400_000));
        // Read every 15 s (resync): the incidents in one query, not one each.
        const incidents = await store.incidents.getMany([...new Set(updates.map((u) => u.incidentId))]);
        return seedSnapshot(incidents, updates);
      },
    });
    // Before any command runs: an update recorded from now on gets one delivery per enabled target.
    await sqlStore(db).statusDeliveries.enableTargets(statusTargets.map((t) => t.name));
  } catch (err) {
    await control?.close();
    await journal.close();
    await db.close();
    await lock.release();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'ENOSPC') {
      throw new StartupError(`the status site cannot be written in ${siteDir} (${code}): set STATUS_SITE_DIR to a directory firebell may write`);
    }
    throw err;
  }
  const consumers: NoticeConsumer[] = [
    postmortemWriter({ dataDir, open: (id) => openIncidentRecord(sqlStore(db), id), now: () => clock.now(), log }),
    statusSite,
  ];
  let outbox: NoticeOutbox | null = null;
  let statusDeliveries: StatusDeliveryWorker | null = null;
  const work = new UnitOfWork({
    db,
    consumers: () => consumers,
    now: () => clock.now(),
    kept: () => {
      outbox?.wake();
      statusDeliveries?.wake();
    },
  });
  statusDeliveries = new StatusDeliveryWorker({ db, work, clock, log, targets: statusTargets, ...io.statusDelivery });

  const postmortems = {
    path: (id: number) => postmortemPath(config.DATA_DIR, id),
    url: (id: number, format: PostmortemFormat = 'md') =>
      config.PUBLIC_URL ? postmortemUrl(config.PUBLIC_URL, httpSecret, id, format) : null,
  };
  const warnings: WarningSettings = {
    policy: { scheduleMs: config.NAG_SCHEDULE, habitualFires: config.NAG_HABITUAL.fires, habitualWindowMs: config.NAG_HABITUAL.windowMs },
    owners: config.WARNING_OWNERS,
  };
  const scheduler = new NagScheduler({
    db,
    work,
    clock,
    timer: io.wakeUp ?? nodeScheduleTimer(clock),
    log,
    policy: warnings.policy,
    cadence: config.STATUS_CADENCE,
    zone: config.FIREBELL_TZ,
    onTick: ({ warningNags, statusNags, deliveryNags }) => {
      metrics.nagsSent.inc({ kind: 'warning' }, warningNags);
      metrics.nagsSent.inc({ kind: 'status_cadence' }, statusNags);
      metrics.nagsSent.inc({ kind: 'delivery' }, deliveryNags);
    },
  });
  const executor = new CommandExecutor({
    db,
    journal,
    journalMode: io.journalMode ?? (db.backend === 'pglite' ? 'every-command' : 'when-unreachable'),
    // Two on Postgres: more lanes split a burst into smaller batches, and each batch's round trips
    // then cost more CPU, on both sides, than overlapping them saves (bench: 16 channels at once).
    lanes: db.backend === 'pglite' ? 1 : 2,
    verbs,
    defaultZone: config.FIREBELL_TZ,
    postmortems,
    log,
    work,
    onQueued: (command) => {
      const update = queuedStatusUpdate(command);
      if (!update) return;
      statusSite.showQueued(update).catch((err: unknown) => log.error({ err }, 'status site could not show a queued update'));
    },
    warnings,
    nagDue: (at) => scheduler.nagDue(at),
  });
  const metrics = new Metrics({
    journalPending: () => journal.pending().length,
    outboxCounts: () => (outbox ? outbox.counts() : Promise.resolve({})),
    statusDeliveryCounts: () => sqlStore(db).statusDeliveries.counts(),
  });
  const router = new CommandRouter(verbs, executor, log, metrics);

  const channels: ChannelDirectory = {
    channelOf: (incidentId, platform) => sqlStore(db).channels.channelOf(incidentId, platform),
    linkOf: (incidentId, platform) => sqlStore(db).channels.linkOf(incidentId, platform),
    openIncidents: (platform) => sqlStore(db).channels.openIncidents(platform),
  };
  const routes: HttpRoute[] = [];
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) {
    // Loaded only when configured: Bolt is large, and the shell-only bot stays small.
    const { SlackAdapter } = await import('./chat/slack/slack-adapter.ts');
    const slack = new SlackAdapter({
      botToken: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
      ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
      opsChannel: config.OPS_CHANNEL ?? null,
      timelineEmoji: config.SLACK_TIMELINE_EMOJI,
      router,
      channels,
      renderDraft: async (id) => {
        const record = await load(id);
        return record ? renderPostmortem(record, clock.now()) : null;
      },
      clock,
      log,
      ...io.slack,
    });
    adapters.push(slack);
    const route = slack.route();
    if (route) routes.push(route);
  }

  let server: Server | null = null;
  let httpPort: number | null = null;
  if (config.HTTP_PORT !== 0) {
    routes.push(
      healthRoute(() => gatherHealth({ db, executor, journal, clock, stopping: () => stopping !== null })),
      ...(config.METRICS_TOKEN ? [metricsRoute(metrics.registry, config.METRICS_TOKEN)] : []),
      postmortemRoute({
        openRecord: (id) => openIncidentRecord(sqlStore(db), id),
        readSavedPostmortem: (id) => readFile(postmortemPath(dataDir, id), 'utf8').catch(() => null),
        secret: httpSecret,
        now: () => clock.now(),
        log,
      }),
      statusSiteRoute(statusSite.dir),
    );
    // No token, no hooks: they answer 404 rather than take warnings from anyone.
    if (config.WEBHOOK_TOKEN) routes.push(...hookRoutes({ token: config.WEBHOOK_TOKEN, dispatch: (inv) => router.dispatch(inv), clock, log }));
    server = createHttpServer({ routes, log });
  }

  const leases: Lease[] = [];
  const lease = (name: string) => {
    const l = openLease(config, name, log);
    leases.push(l);
    return l;
  };
  adapters.push(...(io.adapters?.({ router, channels, metrics, openLease: lease }) ?? []));
  if (config.IRC_HOST) {
    // Loaded only when configured: the shell-only bot never pays for irc-framework.
    const { IrcAdapter } = await import('./chat/irc/irc-adapter.ts');
    const irc = new IrcAdapter({
      server: {
        host: config.IRC_HOST,
        port: config.IRC_PORT,
        tls: config.IRC_TLS,
        nick: config.IRC_NICK,
        sasl: config.IRC_SASL_ACCOUNT && config.IRC_SASL_PASSWORD ? { account: config.IRC_SASL_ACCOUNT, password: config.IRC_SASL_PASSWORD } : null,
      },
      channels: config.IRC_CHANNELS,
      opsChannel: config.OPS_CHANNEL ?? null,
      allow: config.IRC_ALLOW ?? null,
      router,
      directory: channels,
      clock,
      log,
      onReconnect: () => metrics.chatReconnects.inc({ platform: 'irc' }),
      ...io.irc,
    });
    // One instance on the network at a time: the one holding the lease (DESIGN §3).
    adapters.push(
      new LeasedAdapter(irc, lease('irc'), {
        log,
        onHeld: (held) => metrics.ircLeaseHeld.set(held ? 1 : 0),
        onReady: () => outbox?.wake(),
      }),
    );
  }
  const chatPlatforms = adapters.map((a) => a.platform);
  let shell: ShellAdapter | null = null;
  if (io.shell && (chatPlatforms.length === 0 || config.FIREBELL_SHELL)) {
    shell = new ShellAdapter({ ...io.shell, clock, dispatch: (inv) => router.dispatch(inv) });
    adapters.push(shell);
  }
  consumers.push(...adapters);
  outbox = new NoticeOutbox({ db, clock, log, consumers, ...io.outbox });

  // Commands acknowledged before a crash, or queued while the database was down, run first.
  const pending = journal.pending();
  if (pending.length > 0) {
    log.info({ commands: pending.length }, 'replaying the journal');
    await router.replayJournal(pending);
    await executor.idle();
    // Settle marks are otherwise written with the next command: `firebell journal` reads the file.
    await journal.flush();
  }
  // Drafts written for an export that never came to read them (the CLI was killed).
  const exportDir = join(dataDir, 'exports');
  await rm(exportDir, { recursive: true, force: true });
  control?.serve(
    controlHandlers({
      open: (id) => openIncidentRecord(sqlStore(db), id),
      exportDir,
      now: () => clock.now(),
      deliveries: async () => deliveryLines(await sqlStore(db).statusDeliveries.list(['pending', 'dead'], CLI_DELIVERIES_SHOWN)),
    }),
  );
  scheduler.start();

  let stopping: Promise<void> | null = null;

  let siteSync: NodeJS.Timeout | undefined;
  /**
   * New commands are refused first (one line each) while /healthz says `draining`; the commands
   * already taken finish, the outbox delivers what it can within its grace, and only then do the
   * adapters leave their chats, so the last notices still reach them.
   */
  async function stopInOrder(): Promise<void> {
    if (siteSync) clearInterval(siteSync);
    router.stopTaking();
    for (const a of adapters) a.stopTaking?.();
    executor.stop();
    await executor.idle();
    await scheduler.stop();
    await statusDeliveries!.stop();
    await outbox!.stop();
    for (const a of adapters) await a.stop();
    await Promise.all(leases.map((l) => l.release()));
    if (server?.listening) {
      const closed = new Promise<void>((done) => server!.close(() => done()));
      // Idle keep-alive connections would hold close() open until they time out.
      server.closeIdleConnections();
      await closed;
    }
    await control?.close();
    // A clean stop leaves PGlite's files synced and nothing for the journal to replay.
    await executor.checkpoint();
    await journal.close();
    await db.close();
    await lock.release();
  }
  // A signal and the end of input can both ask: the second waits for the same stop.
  const stopAll = () => (stopping ??= stopInOrder());

  for (const a of adapters) await a.start();
  // Notices kept but not delivered before the last stop go out now.
  outbox.wake();
  statusDeliveries.wake();
  const syncStatusSite = () => statusSite.resync(() => executor.pending().count === 0 && journal.pending().length === 0);
  siteSync = setInterval(() => {
    // While the database is down there is nothing to compare with: the page shows what was typed here.
    syncStatusSite().catch((err: unknown) => log.debug({ err }, 'status site not synced with the database'));
  }, STATUS_SITE_SYNC_MS);
  siteSync.unref();
  // Listening last: a 200 from /healthz means firebell is ready for commands.
  if (server) {
    httpPort = await listen(server, config.HTTP_PORT, io.httpHost).catch(async (err: NodeJS.ErrnoException) => {
      await stopAll();
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        throw new StartupError(`HTTP_PORT ${config.HTTP_PORT} is not available (${err.code}): set HTTP_PORT to a free port, or 0 to turn the HTTP server off`);
      }
      throw err;
    });
    log.info({ port: httpPort }, 'http listening');
  }

  return {
    db,
    router,
    executor,
    journal,
    outbox,
    statusDeliveries,
    statusSite,
    work,
    metrics,
    scheduler,
    channels,
    shell,
    chatPlatforms,
    httpPort,
    syncStatusSite,
    stop: stopAll,
  };
}
