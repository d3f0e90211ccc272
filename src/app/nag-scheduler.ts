import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import {
  nextDailyAt,
  nextStatusNagAt,
  STUCK_DELIVERY_MS,
  stuckAt,
  stuckDeliveries,
  type NagPolicy,
  type StatusCadence,
} from '../core/nag-policy.ts';
import { sendDueNags, warningBrief } from '../core/warnings.ts';
import type { Zone } from '../core/zone.ts';
import type { Db } from '../store/db.ts';
import { sqlStore } from '../store/sql-store.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { WakeUpTimer } from './wake-up.ts';

export interface NagSchedulerDeps {
  db: Db;
  work: UnitOfWork;
  clock: Clock;
  timer: WakeUpTimer;
  log: Logger;
  policy: NagPolicy;
  cadence: StatusCadence;
  /** FIREBELL_TZ: the digest goes out at `digestHour`:00 there. */
  zone: Zone;
  digestHour?: number;
  /** Nags claimed per transaction. */
  batchSize?: number;
  /**
   * Longest sleep between looks: what another instance scheduled, or an incident opened since,
   * is seen within this.
   */
  maxSleepMs?: number;
  /** A commit must land before the wake-up it asked for: a hinted time is taken this much later at least. */
  hintGraceMs?: number;
  /** Told what each tick sent (the nags-sent metric). */
  onTick?: (result: TickResult) => void;
}

export interface TickResult {
  warningNags: number;
  statusNags: number;
  /** Status deliveries reported stuck. */
  deliveryNags: number;
  digest: boolean;
}

const DIGEST = 'warnings_digest';
const HOUR_MS = 3_600_000;

/**
 * Sends what falls due (DESIGN §5): warning nags, incident status nags, stuck status deliveries and
 * the daily digest. One wake-up is armed for the earliest due time; each nag is claimed with FOR
 * UPDATE SKIP LOCKED and written back (count, next time) in the transaction that keeps its notice in
 * the chat outbox, so several instances send each nag once, and a crash before commit leaves it due.
 */
export class NagScheduler {
  private armedAt: Date | null = null;
  private running: Promise<TickResult> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: NagSchedulerDeps) {}

  /** Looks at once, then sleeps until the next due time. */
  start(): void {
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.timer.disarm();
    this.armedAt = null;
    await this.idle();
  }

  /** A command set a nag due then: wake earlier if that is sooner than planned. */
  nagDue(at: Date): void {
    if (this.stopped) return;
    const earliest = this.deps.clock.now().getTime() + (this.deps.hintGraceMs ?? 1_000);
    const when = new Date(Math.max(at.getTime(), earliest));
    if (this.armedAt && this.armedAt.getTime() <= when.getTime()) return;
    this.arm(when);
  }

  /** When the wake-up is armed for (null when stopped). */
  get nextWakeAt(): Date | null {
    return this.armedAt;
  }

  /** Resolves once no tick is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Runs a tick now (the wake-up does this; so can a test or the bench). */
  tick(): Promise<TickResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runTick().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.tick();
      }
    });
    return this.running;
  }

  private wake(): void {
    this.armedAt = null;
    this.tick().catch((err: unknown) => {
      this.deps.log.warn({ err }, 'nag scheduler tick failed; trying again shortly');
      this.arm(new Date(this.deps.clock.now().getTime() + (this.deps.maxSleepMs ?? 5 * 60_000)));
    });
  }

  private arm(at: Date): void {
    if (this.stopped) return;
    this.armedAt = at;
    this.deps.timer.arm(at, () => this.wake());
  }

  private async runTick(): Promise<TickResult> {
    const { work, clock, policy } = this.deps;
    const batch = this.deps.batchSize ?? 1_000;
    const now = clock.now();
    let warningNags = 0;
    for (;;) {
      const sent = await work.run((w) => sendDueNags(w, policy, now, batch));
      warningNags += sent;
      if (sent < batch || this.stopped) break;
    }
    const status = await this.sendStatusNags(now);
    let deliveryNags = 0;
    for (;;) {
      const { sent, claimed } = await this.sendStuckDeliveryNags(now, batch);
      deliveryNags += sent;
      if (claimed < batch || this.stopped) break;
    }
    const digest = await this.sendDigest(now);
    if (!this.stopped) await this.armForNext(now, status.nextAt);
    const result = { warningNags, statusNags: status.sent, deliveryNags, digest };
    this.deps.onTick?.(result);
    return result;
  }

  private async sendStatusNags(now: Date): Promise<{ sent: number; nextAt: Date | null }> {
    const { cadence } = this.deps;
    const severities = ([1, 2, 3, 4] as const).filter((s) => cadence[s] !== null);
    if (severities.length === 0) return { sent: 0, nextAt: null };
    return this.deps.work.run(async (w) => {
      let sent = 0;
      let nextAt: Date | null = null;
      for (const c of await w.store.incidentNags.claimOpen(severities, 1_000)) {
        const due = nextStatusNagAt(c.incident, c.lastUpdateAt, c.lastNagAt, cadence);
        if (!due) continue;
        if (due.getTime() <= now.getTime()) {
          const since = Math.max(c.incident.startedAt.getTime(), c.lastUpdateAt?.getTime() ?? -Infinity);
          w.notify({ kind: 'status_nag', incident: c.incident, commander: c.commander, silentForMs: now.getTime() - since });
          await w.store.incidentNags.nagged(c.incident.id, now);
          sent++;
          const following = nextStatusNagAt(c.incident, c.lastUpdateAt, now, cadence);
          if (following && (!nextAt || following < nextAt)) nextAt = following;
        } else if (!nextAt || due < nextAt) {
          nextAt = due;
        }
      }
      return { sent, nextAt };
    });
  }

  /**
   * Tells the ops channel of each status delivery pending 5 min or more, once per stuck episode:
   * the rows are claimed and marked reported in the transaction that keeps the notice. Dead ones
   * are not repeated here; the delivery worker told of each as it died.
   */
  private async sendStuckDeliveryNags(now: Date, batch: number): Promise<{ sent: number; claimed: number }> {
    return this.deps.work.run(async (w) => {
      const claimed = await w.store.statusDeliveries.claimStuck(new Date(now.getTime() - STUCK_DELIVERY_MS), batch);
      // The claim narrows to unreported ones made long enough ago; the rule itself is the policy's.
      const stuck = stuckDeliveries(claimed, now);
      for (const d of stuck) {
        w.notify({
          kind: 'status_delivery_stuck',
          incident: d.incident,
          deliveryId: d.id,
          target: d.target,
          state: d.updateState,
          attempts: d.attempts,
          waitedMs: now.getTime() - d.createdAt.getTime(),
          lastError: d.lastError?.slice(0, 200) ?? null,
        });
      }
      await w.store.statusDeliveries.stuckReported(stuck.map((d) => d.id), now);
      return { sent: stuck.length, claimed: claimed.length };
    });
  }

  /** The digest slot that has begun within the last hour, if any (a bot started at 15:00 sends none). */
  private digestSlot(now: Date): Date | null {
    const slot = nextDailyAt(new Date(now.getTime() - 24 * HOUR_MS), this.deps.digestHour ?? 9, this.deps.zone);
    return slot.getTime() <= now.getTime() && now.getTime() - slot.getTime() < HOUR_MS ? slot : null;
  }

  private async sendDigest(now: Date): Promise<boolean> {
    const slot = this.digestSlot(now);
    if (!slot) return false;
    return this.deps.work.run(async (w) => {
      if (!(await w.store.scheduledRuns.take(DIGEST, slot))) return false;
      const warnings = await w.store.warnings.listForDigest();
      if (warnings.length === 0) return false;
      w.notify({ kind: 'warnings_digest', warnings: warnings.map(warningBrief) });
      return true;
    });
  }

  private async armForNext(now: Date, statusNextAt: Date | null): Promise<void> {
    const store = sqlStore(this.deps.db);
    const nagAt = await store.warnings.nextDueAt();
    const oldestUnreported = await store.statusDeliveries.oldestUnreported();
    const candidates = [
      nagAt,
      statusNextAt,
      oldestUnreported && stuckAt(oldestUnreported),
      nextDailyAt(now, this.deps.digestHour ?? 9, this.deps.zone),
      new Date(now.getTime() + (this.deps.maxSleepMs ?? 5 * 60_000)),
    ].filter((d): d is Date => d !== null);
    // Due already means another instance holds those rows right now: look again in a moment, not in a spin.
    const at = new Date(Math.max(Math.min(...candidates.map((d) => d.getTime())), now.getTime() + 1_000));
    // A hint that came in during the tick may be earlier still.
    if (this.armedAt && this.armedAt.getTime() <= at.getTime()) return;
    this.arm(at);
  }
}
