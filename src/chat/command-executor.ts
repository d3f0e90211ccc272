import type { Logger } from 'pino';
import { findIncident } from '../core/incidents.ts';
import type { Incident } from '../core/model.ts';
import type { Notice } from '../core/notices.ts';
import { loadIncidentRecord } from '../core/record.ts';
import type { Zone } from '../core/zone.ts';
import { isUnavailable, type Db } from '../store/db.ts';
import type { CommandJournal, JournaledCommand } from '../store/journal.ts';
import { sqlStore } from '../store/sql-store.ts';
import type { Store } from '../store/store.ts';
import { reply } from './reply.ts';
import type { Invocation, LateReply, Reply } from './types.ts';
import type { BoundArguments, PostmortemLinks, Verb, VerbContext } from './verb.ts';

/** A command whose arguments are valid, on its way to the database. */
export interface Command {
  verb: Verb;
  bound: BoundArguments;
  invocation: Invocation;
}

interface Outcome {
  reply: Reply;
  notices: Notice[];
  /** The event had been processed before: nothing new was recorded. */
  duplicate: boolean;
}

interface Job {
  command: Command;
  seq: number | null;
  /** Already answered (queued, or replayed after a restart): its outcome becomes a late reply. */
  late: boolean;
  settle(outcome: Outcome): void;
}

export interface ExecutorDeps {
  db: Db;
  journal: CommandJournal | null;
  verbs: readonly Verb[];
  defaultZone: Zone;
  postmortems: PostmortemLinks;
  log: Logger;
  /** Told after commit, before the command's own reply is given. */
  announce(notices: Notice[]): Promise<void>;
  /** Replies to commands answered "queued" while the database was down, once they are recorded. */
  replyLate(late: LateReply): Promise<void>;
  /** Most commands in one transaction; more wait for the next. */
  maxBatch?: number;
  /** Compact the journal once it is this large and nothing in it is pending. */
  journalCompactBytes?: number;
  /** Waits between attempts to reach the database again; the last one repeats. */
  retryDelaysMs?: readonly number[];
}

/** The user's command did not stand: roll its writes back. */
class Rejected extends Error {
  constructor(readonly outcome: Outcome) {
    super('rejected');
  }
}

export function queuedReply(): Reply {
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

export function toJournaled(inv: Invocation): JournaledCommand {
  return {
    verb: inv.verb,
    text: inv.text,
    actor: inv.actor,
    channel: inv.channel,
    eventId: inv.eventId,
    receivedAt: inv.receivedAt.toISOString(),
  };
}

/**
 * Runs commands that change the record. Commands are journaled (fsync'd) first, then run in
 * arrival order; those that arrive together share one transaction (group commit), and each is
 * answered only after that transaction has committed. A command that fails rolls back alone: the
 * batch is re-run one command per transaction. While the database is unreachable, commands stay
 * in the journal and are answered "queued"; they run, in order, when it returns.
 */
export class CommandExecutor {
  private queue: Job[] = [];
  private backlog: Job[] = [];
  private draining: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryAttempt = 0;
  private readonly maxBatch: number;

  constructor(private readonly deps: ExecutorDeps) {
    this.maxBatch = deps.maxBatch ?? 64;
  }

  /** True while commands wait for the database to come back. */
  get offline(): boolean {
    return this.backlog.length > 0;
  }

  submit(command: Command): Promise<Reply> {
    return new Promise((resolve) => {
      this.queue.push({ command, seq: null, late: false, settle: (o) => resolve(o.reply) });
      this.kick();
    });
  }

  /** Queues commands found unsettled in the journal at start-up; their replies arrive late. */
  replay(records: { seq: number; command: Command }[]): void {
    for (const r of records) {
      this.queue.push({ command: r.command, seq: r.seq, late: true, settle: (o) => this.settleLate(r.command, o) });
    }
    this.kick();
  }

  /** Resolves once everything submitted so far has an outcome (recorded, refused or queued). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Tries the commands waiting for the database again; true when none is left waiting. */
  async retryBacklog(): Promise<boolean> {
    await this.idle();
    if (this.backlog.length > 0) {
      this.queue.unshift(...this.backlog);
      this.backlog = [];
      this.kick();
      await this.idle();
    }
    return this.backlog.length === 0;
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // Work submitted while the drain was finishing up must not be left behind.
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.journal(batch);
      if (this.backlog.length > 0) {
        // Order matters: nothing may overtake a command that is still waiting for the database.
        this.park(batch);
        continue;
      }
      await this.runBatch(batch);
    }
    await this.compactJournal();
  }

  private async journal(batch: Job[]): Promise<void> {
    const journal = this.deps.journal;
    const fresh = batch.filter((j) => j.seq === null);
    if (!journal || fresh.length === 0) return;
    const seqs = await journal.append(fresh.map((j) => toJournaled(j.command.invocation)));
    fresh.forEach((j, i) => {
      j.seq = seqs[i]!;
    });
  }

  private async runBatch(batch: Job[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const outcomes = await this.deps.db.transaction(async (tx) => {
          const store = sqlStore(tx);
          const results: Outcome[] = [];
          for (const job of batch) {
            const outcome = await this.execute(job.command, store);
            if (outcome.reply.tone !== 'ok' && !outcome.duplicate) throw new Rejected(outcome);
            results.push(outcome);
          }
          return results;
        });
        await this.finish(batch, outcomes);
        return;
      } catch (err) {
        if (isUnavailable(err)) return this.goOffline(batch, err);
        // A refusal or a fault somewhere in the batch: run each alone, so only it fails.
      }
    }
    for (let i = 0; i < batch.length; i++) {
      const job = batch[i]!;
      try {
        const outcome = await this.deps.db.transaction(async (tx) => {
          const o = await this.execute(job.command, sqlStore(tx));
          if (o.reply.tone !== 'ok' && !o.duplicate) throw new Rejected(o);
          return o;
        });
        await this.finish([job], [outcome]);
      } catch (err) {
        if (err instanceof Rejected) {
          await this.finish([job], [err.outcome]);
        } else if (isUnavailable(err)) {
          return this.goOffline(batch.slice(i), err);
        } else {
          const { verb, invocation } = job.command;
          this.deps.log.error({ err, verb: verb.name, eventId: invocation.eventId }, 'verb failed');
          await this.finish([job], [{ reply: reply.error(`${verb.name} failed on our side; it was logged (event ${invocation.eventId})`), notices: [], duplicate: false }]);
        }
      }
    }
  }

  private async execute(command: Command, store: Store): Promise<Outcome> {
    const { verb, bound, invocation: inv } = command;
    const previous = await store.events.replyTo(inv.channel.platform, inv.eventId);
    if (previous) return { reply: previous as Reply, notices: [], duplicate: true };
    const notices: Notice[] = [];
    const ctx = this.context(store, inv, notices);
    let incident: Incident | null = null;
    if (verb.scope === 'incident') {
      const found = await findIncident(ctx, bound.incidentId);
      if (!found.ok) return { reply: reply.error(found.error.message), notices, duplicate: false };
      incident = found.value;
    }
    const answer = await verb.run(bound.args, ctx, incident);
    if (answer.tone === 'ok' && verb.writes) {
      await store.events.record(inv.channel.platform, inv.eventId, inv.receivedAt, answer);
    }
    return { reply: answer, notices, duplicate: false };
  }

  /** Runs a read-only command outside the queue: it records nothing, so it need not wait its turn. */
  async read(command: Command): Promise<Reply> {
    const store = sqlStore(this.deps.db);
    try {
      const outcome = await this.execute(command, store);
      return outcome.reply;
    } catch (err) {
      if (isUnavailable(err)) {
        return reply.error(`the database is unreachable, so ${command.verb.name} cannot answer now; timeline commands are still saved`);
      }
      throw err;
    }
  }

  context(store: Store, inv: Invocation, notices: Notice[]): VerbContext {
    return {
      store,
      actor: inv.actor,
      source: { platform: inv.channel.platform, channelId: inv.channel.id, eventId: inv.eventId },
      now: inv.receivedAt,
      defaultZone: this.deps.defaultZone,
      notify: (n) => notices.push(n),
      verbs: this.deps.verbs,
      postmortems: this.deps.postmortems,
      loadRecord: (id) => loadIncidentRecord(store, id),
    };
  }

  private async finish(jobs: Job[], outcomes: Outcome[]): Promise<void> {
    const settledSeqs = jobs.map((j) => j.seq).filter((s): s is number => s !== null);
    this.deps.journal?.settle(settledSeqs);
    const notices = outcomes.flatMap((o) => o.notices);
    if (notices.length > 0) {
      try {
        await this.deps.announce(notices);
      } catch (err) {
        this.deps.log.error({ err }, 'announcing failed');
      }
    }
    jobs.forEach((j, i) => j.settle(outcomes[i]!));
  }

  private goOffline(jobs: Job[], err: unknown): void {
    if (this.backlog.length === 0) this.deps.log.warn({ err }, 'database unreachable: commands wait in the journal');
    this.park(jobs);
    this.scheduleRetry();
  }

  /** Answers "queued" now; the real reply comes late, once the command is recorded. */
  private park(jobs: Job[]): void {
    for (const job of jobs) {
      if (!job.late) {
        job.settle({ reply: queuedReply(), notices: [], duplicate: false });
        job.late = true;
        job.settle = (o) => this.settleLate(job.command, o);
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

  /** Stops retrying in the background (shutting down). */
  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private settleLate(command: Command, outcome: Outcome): void {
    if (outcome.duplicate) return;
    const { invocation: inv } = command;
    this.deps
      .replyLate({ channel: inv.channel, invocation: { verb: inv.verb, text: inv.text, actor: inv.actor }, reply: outcome.reply })
      .catch((err: unknown) => this.deps.log.error({ err, eventId: inv.eventId }, 'late reply failed'));
  }

  private async compactJournal(): Promise<void> {
    const journal = this.deps.journal;
    if (!journal || this.backlog.length > 0 || journal.size < (this.deps.journalCompactBytes ?? 16 * 1024 * 1024)) return;
    try {
      await this.deps.db.makeDurable();
      await journal.compact();
    } catch (err) {
      this.deps.log.error({ err }, 'journal compaction failed; it will be tried again');
    }
  }
}
