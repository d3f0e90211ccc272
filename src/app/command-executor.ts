import type { Logger } from 'pino';
import { findIncident, findIncidents } from '../core/incidents.ts';
import type { Incident } from '../core/model.ts';
import { openIncidentRecord } from '../core/record.ts';
import { DEFAULT_NAG_POLICY } from '../core/nag-policy.ts';
import type { WarningSettings } from '../core/warnings.ts';
import type { Zone } from '../core/zone.ts';
import { reply } from '../chat/reply.ts';
import { commandKey, type Invocation, type LateReply, type Reply } from '../chat/types.ts';
import type { BoundArguments, PostmortemLinks, Verb, VerbContext } from '../chat/verb.ts';
import { isUnavailable, type Db } from '../store/db.ts';
import { setAsideCommandsPath, type CommandJournal, type JournaledCommand, type SetAsideCommand } from '../store/journal.ts';
import { sqlStore } from '../store/sql-store.ts';
import { eventKey, type ProcessedEvent, type Store } from '../store/store.ts';
import type { UnitOfWork, Work } from './unit-of-work.ts';

/** A command whose arguments are valid, on its way to the database. */
export interface Command {
  verb: Verb;
  bound: BoundArguments;
  invocation: Invocation;
}

interface Outcome {
  reply: Reply;
  /** The event had been processed before: nothing new was recorded. */
  duplicate: boolean;
}

interface Job {
  command: Command;
  /** Its place in the journal; null until written there (or when there is no journal). */
  seq: number | null;
  /** Resolves once the command is on disk in the journal; null while it is not being written there. */
  journaled: Promise<void> | null;
  /**
   * Answered already: `queued` while the database was down (its real reply goes out late, through
   * the chat outbox), or `replayed` from the journal at start-up (answered, or lost, before a crash).
   */
  answered: 'no' | 'queued' | 'replayed';
  settle(outcome: Outcome): void;
}

interface Lane {
  queue: Job[];
  draining: Promise<void> | null;
  /** The batch it is running now, if any. */
  running: Promise<void> | null;
}

/**
 * `every-command`: each command is journaled as it arrives, beside its transaction, and answered
 * once both are done (PGlite, which never fsyncs its own files). `when-unreachable`: only commands
 * the database cannot take now are journaled (Postgres fsyncs its own commits).
 */
export type JournalMode = 'every-command' | 'when-unreachable';

export interface ExecutorDeps {
  db: Db;
  journal: CommandJournal | null;
  journalMode: JournalMode;
  verbs: readonly Verb[];
  defaultZone: Zone;
  postmortems: PostmortemLinks;
  log: Logger;
  /** Runs each batch's transaction; what the commands have to say is kept in the chat outbox. */
  work: UnitOfWork;
  /** Most commands in one transaction; more wait for the next. */
  maxBatch?: number;
  /**
   * Transactions that may run at once, each batching what queued up behind it. One suits PGlite
   * (a single session); a few let Postgres overlap round trips without losing the batching.
   */
  lanes?: number;
  /** Compact the journal once it is this large and nothing in it is pending. */
  journalCompactBytes?: number;
  /** Waits between attempts to reach the database again; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** Told of each command answered "queued" (the static status site shows a queued update at once). */
  onQueued?: (command: Command) => void;
  /** The nag policy and warning owners; the documented defaults when not given. */
  warnings?: WarningSettings;
  /** Told when a command sets a nag due (the scheduler re-arms if it is sooner). */
  nagDue?: (at: Date) => void;
}

/** The user's command did not stand: roll its writes back. */
class Rejected extends Error {
  constructor(readonly outcome: Outcome) {
    super('rejected');
  }
}

function queuedReply(): Reply {
  return {
    tone: 'queued',
    lines: [
      [
        {
          text: 'The database is unreachable. Your command is saved in the local journal and will be recorded, in order, when the database is back.',
        },
      ],
    ],
  };
}

function toJournaled(inv: Invocation): JournaledCommand {
  return {
    verb: inv.verb,
    text: inv.text,
    ...(inv.payload !== undefined ? { payload: inv.payload } : {}),
    actor: inv.actor,
    ...(inv.attribution ? { attribution: { author: inv.attribution.author, at: inv.attribution.at.toISOString() } } : {}),
    channel: inv.channel,
    eventId: inv.eventId,
    ...(inv.idempotencyKey !== undefined ? { idempotencyKey: inv.idempotencyKey } : {}),
    ...(inv.replyTo ? { replyTo: inv.replyTo } : {}),
    receivedAt: inv.receivedAt.toISOString(),
  };
}

function lateReplyTo(job: Job, outcome: Outcome): LateReply {
  const inv = job.command.invocation;
  return {
    channel: inv.channel,
    invocation: { verb: inv.verb, text: inv.text, actor: inv.actor },
    ...(inv.replyTo ? { replyTo: inv.replyTo } : {}),
    reply: outcome.reply,
  };
}

/** The event a command is recorded under, once. */
function eventOf(inv: Invocation): { platform: string; eventId: string } {
  return { platform: inv.channel.platform, eventId: commandKey(inv) };
}

/** Commands from one channel (or about one named incident) go to one lane, so they keep their order. */
function laneOf(command: Command, lanes: number): number {
  const { bound, invocation } = command;
  const key =
    bound.incidentId !== null
      ? `INC-${bound.incidentId}`
      : (invocation.orderKey ?? `${invocation.channel.platform}\u0000${invocation.channel.id}`);
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
}

const bySeq = (a: Job, b: Job) => (a.seq ?? Infinity) - (b.seq ?? Infinity);

/**
 * Runs commands that change the record, in a few lanes: a channel's commands always go to the same
 * lane, in arrival order; lanes run side by side on their own connections. Commands that queue up
 * in a lane while its transaction runs share the next one (group commit), and each is answered
 * only after that transaction has committed. A command that fails rolls back alone: the batch is
 * re-run one command per transaction. On PGlite each command is also journaled (fsync'd) beside
 * its transaction. While the database is unreachable, commands wait in the journal, answered
 * "queued", and run in arrival order when it returns.
 */
export class CommandExecutor {
  private readonly lanes: Lane[];
  private backlog: Job[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  /** Set while the backlog runs: new commands wait for it, so none overtakes an older one. */
  private retrying: Promise<boolean> | null = null;
  private retryAttempt = 0;
  private readonly maxBatch: number;
  /** Commands taken but without a final outcome yet (queued, running, or waiting for the database). */
  private readonly unsettled = new Set<Job>();

  constructor(private readonly deps: ExecutorDeps) {
    this.maxBatch = deps.maxBatch ?? 64;
    this.lanes = Array.from({ length: Math.max(1, deps.lanes ?? 1) }, () => ({ queue: [], draining: null, running: null }));
  }

  /** True while commands wait for the database to come back. */
  get offline(): boolean {
    return this.backlog.length > 0;
  }

  /** Commands answered "queued", waiting in the journal for the database. */
  get waitingForDatabase(): number {
    return this.backlog.length;
  }

  /** How many commands are taken but not yet recorded (or refused), and when the oldest of them arrived. */
  pending(): { count: number; oldestReceivedAt: Date | null } {
    let oldest: Date | null = null;
    for (const job of this.unsettled) {
      const at = job.command.invocation.receivedAt;
      if (oldest === null || at < oldest) oldest = at;
    }
    return { count: this.unsettled.size, oldestReceivedAt: oldest };
  }

  submit(command: Command): Promise<Reply> {
    return new Promise((resolve) => {
      const job: Job = { command, seq: null, journaled: null, answered: 'no', settle: (o) => resolve(o.reply) };
      this.unsettled.add(job);
      // Written now, so the fsync overlaps the command's own transaction.
      if (this.deps.journalMode === 'every-command') this.writeToJournal([job]);
      this.enqueue(job);
    });
  }

  /** Queues commands found unsettled in the journal at start-up; their replies arrive late. */
  replay(records: { seq: number; command: Command }[]): void {
    for (const r of records) {
      const job: Job = { command: r.command, seq: r.seq, journaled: Promise.resolve(), answered: 'replayed', settle: () => undefined };
      this.unsettled.add(job);
      this.enqueue(job);
    }
  }

  /**
   * Journaled commands that can never run (they no longer parse) are moved to the set-aside file,
   * so they do not block the journal, and the ops channel is told (DESIGN §1, lesson 4).
   */
  async setAside(commands: readonly SetAsideCommand[]): Promise<void> {
    const journal = this.deps.journal;
    if (!journal || commands.length === 0) return;
    await journal.setAside(commands);
    const file = setAsideCommandsPath(journal.path);
    for (const { seq, command: c, reason } of commands) {
      this.deps.log.error({ seq, verb: c.verb, eventId: c.eventId, reason, file }, 'journaled command no longer parses; set aside');
    }
    await this.deps.work
      .run(async (work) => {
        for (const { command: c, reason } of commands) {
          work.notify({ kind: 'command_set_aside', verb: c.verb, text: c.text, actor: c.actor, receivedAt: new Date(c.receivedAt), reason, file });
        }
      })
      .catch((err: unknown) => {
        // The commands are safe in the set-aside file and logged; only the chat is not told.
        this.deps.log.error({ err }, 'could not tell the ops channel about the commands set aside');
      });
  }

  /** Resolves once everything submitted so far has an outcome (recorded, refused or queued). */
  async idle(): Promise<void> {
    for (;;) {
      const running = this.lanes.map((l) => l.draining).filter((d): d is Promise<void> => d !== null);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Tries the commands waiting for the database again, in arrival order; true when none is left waiting. */
  retryBacklog(): Promise<boolean> {
    this.retrying ??= this.runBacklog().finally(() => {
      this.retrying = null;
    });
    return this.retrying;
  }

  private async runBacklog(): Promise<boolean> {
    // Lanes start no new batch while this.retrying is set; the batches already running finish first.
    await Promise.all(this.lanes.map((l) => l.running));
    const waiting = this.backlog.sort(bySeq);
    this.backlog = [];
    for (let i = 0; i < waiting.length; i += this.maxBatch) {
      if (this.backlog.length > 0) {
        await this.park(waiting.slice(i));
        break;
      }
      await this.runBatch(waiting.slice(i, i + this.maxBatch));
    }
    if (this.backlog.length > 0) return false;
    // Caught up, whoever asked: a retry still scheduled from the outage has nothing left to do.
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAttempt = 0;
    await this.compactJournal();
    return true;
  }

  /** Makes the journal's contents durable in the database, then starts the journal afresh. */
  async checkpoint(): Promise<void> {
    await this.idle();
    await this.compactJournal(0);
  }

  /** Stops retrying in the background (shutting down). */
  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Runs a read-only command outside the lanes: it records nothing, so it need not wait its turn. */
  async read(command: Command): Promise<Reply> {
    const work: Work = {
      store: sqlStore(this.deps.db),
      notify: () => {
        throw new Error(`${command.verb.name} only reads, yet it tried to notify`);
      },
      replyLate: () => undefined,
    };
    try {
      return (await this.execute(command, work)).reply;
    } catch (err) {
      if (isUnavailable(err)) {
        return reply.error(`the database is unreachable, so ${command.verb.name} cannot answer now; timeline commands are still saved`);
      }
      throw err;
    }
  }

  private enqueue(job: Job): void {
    const lane = this.lanes[laneOf(job.command, this.lanes.length)]!;
    lane.queue.push(job);
    this.kick(lane);
  }

  private kick(lane: Lane): void {
    if (lane.draining) return;
    lane.draining = this.drain(lane).finally(() => {
      lane.draining = null;
      // Work submitted while the drain was finishing up must not be left behind.
      if (lane.queue.length > 0) this.kick(lane);
    });
  }

  private async drain(lane: Lane): Promise<void> {
    while (lane.queue.length > 0) {
      if (this.retrying) await this.retrying;
      const batch = lane.queue.splice(0, this.maxBatch);
      if (this.backlog.length > 0) {
        // Nothing may overtake a command that is still waiting for the database.
        await this.park(batch);
        continue;
      }
      lane.running = this.runBatch(batch);
      try {
        await lane.running;
      } finally {
        lane.running = null;
      }
      // One turn of the event loop before cutting the next batch: the commands that arrived while
      // this one ran, and those its answers set off, join it rather than trickle in one by one.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (this.lanes.every((l) => l === lane || l.draining === null)) await this.compactJournal();
  }

  private writeToJournal(jobs: Job[]): void {
    const journal = this.deps.journal;
    const unwritten = jobs.filter((j) => j.journaled === null);
    if (!journal || unwritten.length === 0) return;
    const written = journal.append(unwritten.map((j) => toJournaled(j.command.invocation))).then((seqs) => {
      unwritten.forEach((j, i) => {
        j.seq = seqs[i] ?? null;
      });
    });
    for (const j of unwritten) j.journaled = written;
  }

  private async runBatch(batch: Job[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const outcomes = await this.deps.work.run((work) => this.executeAll(batch, work, false));
      await this.finish(batch, outcomes);
      return;
    } catch (err) {
      if (isUnavailable(err)) return this.goOffline(batch, err);
      if (batch.length === 1 && err instanceof Rejected) return this.finish(batch, [err.outcome]);
      // A refusal, a retried event or a fault somewhere in the batch: run each alone, so only it fails.
    }
    for (let i = 0; i < batch.length; i++) {
      const job = batch[i]!;
      try {
        const outcomes = await this.deps.work.run((work) => this.executeAll([job], work, true));
        await this.finish([job], outcomes);
      } catch (err) {
        if (err instanceof Rejected) {
          await this.replyLateAlone(job, err.outcome);
          await this.finish([job], [err.outcome]);
        } else if (isUnavailable(err)) {
          return this.goOffline(batch.slice(i), err);
        } else {
          const { verb, invocation } = job.command;
          this.deps.log.error({ err, verb: verb.name, eventId: invocation.eventId }, 'verb failed');
          const failed = { reply: reply.error(`${verb.name} failed on our side; it was logged (event ${invocation.eventId})`), duplicate: false };
          await this.replyLateAlone(job, failed);
          await this.finish([job], [failed]);
        }
      }
    }
  }

  /**
   * Inside one transaction: runs the commands and records their events as processed. With
   * `lookFirst`, events processed before are answered with their recorded reply and not run again;
   * without, a retried event fails the commit when its record meets the earlier one, and the whole
   * batch is rolled back and run again looking first (the rare case pays for the common one: one
   * query fewer per command). Commands with an idempotency key (hooks, whose senders retry as a
   * matter of course) always look first: one query for the batch. Consecutive commands of a verb
   * that runs many at once (alerts, timeline entries) run together. A command answered "queued"
   * gets its real reply through the chat outbox, kept in the same transaction.
   */
  private async executeAll(jobs: Job[], work: Work, lookFirst: boolean): Promise<Outcome[]> {
    const events = jobs.map((j) => eventOf(j.command.invocation));
    const look = lookFirst || jobs.some((j) => j.command.invocation.idempotencyKey !== undefined);
    const seen = look ? await work.store.events.repliesTo(events) : new Map<string, unknown>();
    const outcomes = new Array<Outcome>(jobs.length);
    const processed: ProcessedEvent[] = [];
    const ran = (i: number, outcome: Outcome) => {
      const job = jobs[i]!;
      const event = events[i]!;
      if (outcome.reply.tone !== 'ok') throw new Rejected(outcome);
      processed.push({ ...event, at: job.command.invocation.receivedAt, reply: outcome.reply });
      seen.set(eventKey(event), outcome.reply);
      outcomes[i] = outcome;
      if (job.answered !== 'no') work.replyLate(lateReplyTo(job, outcome));
    };
    // Fresh commands of one verb that runs many at once, waiting to run together.
    let together: number[] = [];
    const togetherKeys = new Set<string>();
    const runTogether = async () => {
      const indexes = together;
      together = [];
      togetherKeys.clear();
      if (indexes.length === 0) return;
      const results = await this.executeMany(indexes.map((i) => jobs[i]!.command), work);
      indexes.forEach((i, k) => ran(i, results[k]!));
    };
    for (const [i, job] of jobs.entries()) {
      const key = eventKey(events[i]!);
      const verb = job.command.verb;
      // A command must see what the ones before it did: run those first unless it can join them.
      const first = together[0];
      if (first !== undefined && (jobs[first]!.command.verb !== verb || togetherKeys.has(key))) await runTogether();
      const previous = seen.get(key);
      if (previous !== undefined) {
        const outcome = { reply: previous as Reply, duplicate: true };
        // Committed before the connection dropped, so the user saw "queued": tell them it was recorded.
        if (job.answered === 'queued') work.replyLate(lateReplyTo(job, outcome));
        outcomes[i] = outcome;
        continue;
      }
      if (verb.runMany !== null) {
        together.push(i);
        togetherKeys.add(key);
        continue;
      }
      ran(i, await this.execute(job.command, work));
    }
    await runTogether();
    await work.store.events.record(processed);
    return outcomes;
  }

  /**
   * Commands of one verb, run together when it can and there are several. An incident verb's
   * incidents are looked up together too; a command whose incident cannot be found gets that error.
   */
  private async executeMany(commands: Command[], work: Work): Promise<Outcome[]> {
    const first = commands[0];
    const runMany = first?.verb.runMany;
    if (!first || !runMany || commands.length === 1) {
      const outcomes: Outcome[] = [];
      for (const command of commands) outcomes.push(await this.execute(command, work));
      return outcomes;
    }
    const items = commands.map((c) => ({ args: c.bound.args, ctx: this.context(work, c.invocation), incident: null as Incident | null }));
    const outcomes: (Outcome | undefined)[] = commands.map(() => undefined);
    if (first.verb.scope === 'incident') {
      const found = await findIncidents(
        items.map((item, i) => ({ ctx: item.ctx, explicitId: commands[i]!.bound.incidentId })),
        first.verb.name,
      );
      found.forEach((f, i) => {
        if (f.ok) items[i]!.incident = f.value;
        else outcomes[i] = { reply: reply.error(f.error.message), duplicate: false };
      });
    }
    const runnable = items.filter((_, i) => outcomes[i] === undefined);
    const replies = runnable.length > 0 ? await runMany(runnable) : [];
    let next = 0;
    return outcomes.map((o) => o ?? { reply: replies[next++]!, duplicate: false });
  }

  /** A late reply for a command that was refused or failed: its own transaction, as nothing else commits. */
  private async replyLateAlone(job: Job, outcome: Outcome): Promise<void> {
    if (job.answered === 'no') return;
    await this.deps.work.run(async (work) => work.replyLate(lateReplyTo(job, outcome))).catch((err: unknown) => {
      this.deps.log.error({ err, eventId: job.command.invocation.eventId }, 'late reply could not be kept');
    });
  }

  private async execute(command: Command, work: Work): Promise<Outcome> {
    const { verb, bound, invocation } = command;
    const ctx = this.context(work, invocation);
    let incident: Incident | null = null;
    if (verb.scope === 'incident') {
      const found = await findIncident(ctx, bound.incidentId, verb.name);
      if (!found.ok) return { reply: reply.error(found.error.message), duplicate: false };
      incident = found.value;
    }
    return { reply: await verb.run(bound.args, ctx, incident), duplicate: false };
  }

  private context(work: Work, inv: Invocation): VerbContext {
    const store: Store = work.store;
    return {
      store,
      actor: inv.actor,
      source: { platform: inv.channel.platform, channelId: inv.channel.id, eventId: commandKey(inv) },
      now: inv.receivedAt,
      defaultZone: this.deps.defaultZone,
      attribution: inv.attribution ?? null,
      notify: (n) => work.notify(n),
      verbs: this.deps.verbs,
      postmortems: this.deps.postmortems,
      openRecord: (id) => openIncidentRecord(store, id),
      warnings: this.deps.warnings ?? { policy: DEFAULT_NAG_POLICY, owners: new Map() },
      nagDue: (at) => this.deps.nagDue?.(at),
    };
  }

  private async finish(jobs: Job[], outcomes: Outcome[]): Promise<void> {
    await Promise.all(
      jobs.map((j) =>
        j.journaled?.catch((err: unknown) => {
          // Committed already; only the extra protection against power loss is missing.
          this.deps.log.error({ err, eventId: j.command.invocation.eventId }, 'journal write failed');
        }),
      ),
    );
    this.deps.journal?.settle(jobs.map((j) => j.seq).filter((s): s is number => s !== null));
    jobs.forEach((j, i) => {
      this.unsettled.delete(j);
      j.settle(outcomes[i]!);
    });
  }

  private async goOffline(jobs: Job[], err: unknown): Promise<void> {
    if (this.backlog.length === 0) this.deps.log.warn({ err }, 'database unreachable: commands wait in the journal');
    await this.park(jobs);
    this.scheduleRetry();
  }

  /**
   * Keeps commands for when the database is back: each is made safe in the journal, then answered
   * "queued"; the real reply comes late, once it is recorded.
   */
  private async park(jobs: Job[]): Promise<void> {
    this.writeToJournal(jobs);
    for (const job of jobs) {
      try {
        await job.journaled;
      } catch (err) {
        this.deps.log.error({ err, eventId: job.command.invocation.eventId }, 'journal write failed');
        this.unsettled.delete(job);
        job.settle({ reply: reply.error('the database is unreachable and the local journal could not take your command either: it was not recorded'), duplicate: false });
        continue;
      }
      if (job.answered === 'no') {
        job.settle({ reply: queuedReply(), duplicate: false });
        job.answered = 'queued';
        job.settle = () => undefined;
        this.deps.onQueued?.(job.command);
      }
      this.backlog.push(job);
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const delays = this.deps.retryDelaysMs ?? [1_000, 2_000, 5_000, 10_000, 30_000];
    const delay = delays[Math.min(this.retryAttempt, delays.length - 1)] ?? 30_000;
    this.retryAttempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.retryBacklog().then((caughtUp) => {
        if (caughtUp) {
          this.retryAttempt = 0;
          this.deps.log.info('database reachable again: journaled commands recorded');
        } else {
          this.scheduleRetry();
        }
      });
    }, delay);
    this.retryTimer.unref();
  }

  /**
   * Cuts the journal short once it is large and nothing in it is pending — after making sure the
   * database holds every settled command durably (PGlite never fsyncs by itself).
   */
  private async compactJournal(minimumBytes = this.deps.journalCompactBytes ?? 16 * 1024 * 1024): Promise<void> {
    const journal = this.deps.journal;
    if (!journal || this.backlog.length > 0 || journal.size < minimumBytes || journal.pending().length > 0) return;
    try {
      const watermark = journal.nextSequence;
      await this.deps.db.makeDurable();
      await journal.compact(watermark);
    } catch (err) {
      this.deps.log.error({ err }, 'journal compaction failed; it will be tried again');
    }
  }
}
