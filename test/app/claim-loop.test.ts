import { describe, expect, test } from 'vitest';
import { ClaimLoop, type ClaimJob } from '../../src/app/claim-loop.ts';
import { ManualClock } from '../support/clock.ts';

interface Row {
  id: number;
  incident: number;
}

/**
 * An outbox in memory, claimed as the SQL claims do: due rows, the oldest first, never a row while
 * an earlier one about the same incident is still pending. Each run waits until the test settles it.
 */
class MemoryOutbox implements ClaimJob<Row> {
  readonly pending: Row[] = [];
  readonly leased = new Set<number>();
  readonly sent: number[] = [];
  readonly errors: unknown[] = [];
  claims = 0;
  private readonly waiting = new Map<number, () => void>();
  /** Called while a claim is under way, before it answers. */
  duringClaim: (() => void) | null = null;
  failClaims = false;
  isReady = true;

  add(...rows: Row[]): void {
    this.pending.push(...rows);
  }

  async claim(room: number): Promise<readonly Row[]> {
    this.claims += 1;
    await Promise.resolve();
    if (this.failClaims) throw new Error('database unreachable');
    const blocked = new Set<number>();
    const due: Row[] = [];
    for (const row of this.pending) {
      if (!blocked.has(row.incident) && !this.leased.has(row.id) && due.length < room) due.push(row);
      blocked.add(row.incident);
    }
    for (const row of due) this.leased.add(row.id);
    const hook = this.duringClaim;
    this.duringClaim = null;
    hook?.();
    await Promise.resolve();
    return due;
  }

  key(row: Row): number {
    return row.id;
  }

  run(row: Row): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.set(row.id, () => {
        this.sent.push(row.id);
        this.pending.splice(this.pending.indexOf(row), 1);
        this.leased.delete(row.id);
        resolve();
      });
    });
  }

  /** Settles a row that is running. */
  settle(id: number): void {
    const done = this.waiting.get(id);
    if (!done) throw new Error(`row ${id} is not running`);
    this.waiting.delete(id);
    done();
  }

  get running(): number[] {
    return [...this.waiting.keys()];
  }

  async nextDueAt(): Promise<Date | null> {
    return null;
  }

  ready(): boolean {
    return this.isReady;
  }

  failed(err: unknown): void {
    this.errors.push(err);
  }
}

/** Lets every promise that can settle settle. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the claim loop behind both outboxes', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  test('a row that settles while a claim is under way lets the rows behind it go out at once', async () => {
    const outbox = new MemoryOutbox();
    const loop = new ClaimLoop(outbox, { clock, concurrency: 4, pollMs: 60_000 });
    outbox.add({ id: 1, incident: 7 }, { id: 2, incident: 7 }, { id: 3, incident: 7 });
    loop.wake();
    await settled();
    expect(outbox.running).toEqual([1]);
    // The first claim after the start is still looking when row 1 settles: 2 must not wait for a poll.
    outbox.duringClaim = () => outbox.settle(1);
    loop.wake();
    await settled();
    expect(outbox.running).toEqual([2]);
    outbox.settle(2);
    await settled();
    outbox.settle(3);
    await loop.idle();
    expect(outbox.sent).toEqual([1, 2, 3]);
    loop.stop();
  });

  test('never more rows running than its concurrency, and every row once', async () => {
    const outbox = new MemoryOutbox();
    const loop = new ClaimLoop(outbox, { clock, concurrency: 2, pollMs: 60_000 });
    outbox.add(...[1, 2, 3, 4, 5].map((id) => ({ id, incident: id })));
    loop.wake();
    await settled();
    expect(outbox.running).toEqual([1, 2]);
    while (outbox.running.length > 0) {
      expect(outbox.running.length).toBeLessThanOrEqual(2);
      outbox.settle(outbox.running[0]!);
      await settled();
    }
    await loop.idle();
    expect(outbox.sent).toEqual([1, 2, 3, 4, 5]);
    loop.stop();
  });

  test('a row still running here is not started again when a claim returns it', async () => {
    const outbox = new MemoryOutbox();
    const loop = new ClaimLoop(outbox, { clock, concurrency: 4, pollMs: 60_000 });
    outbox.add({ id: 1, incident: 1 });
    loop.wake();
    await settled();
    // Its lease ran out: the next claim hands it out again while it still hangs here.
    outbox.leased.delete(1);
    loop.wake();
    await settled();
    outbox.settle(1);
    await loop.idle();
    expect(outbox.sent).toEqual([1]);
    loop.stop();
  });

  test('an unreachable outbox is reported and looked at again; a consumer not ready claims nothing', async () => {
    const outbox = new MemoryOutbox();
    const loop = new ClaimLoop(outbox, { clock, concurrency: 4, pollMs: 60_000 });
    outbox.add({ id: 1, incident: 1 });
    outbox.failClaims = true;
    loop.wake();
    await loop.idle();
    expect(outbox.errors).toHaveLength(1);
    expect(outbox.sent).toEqual([]);

    outbox.failClaims = false;
    outbox.isReady = false;
    const claims = outbox.claims;
    loop.wake();
    await loop.idle();
    expect(outbox.claims).toBe(claims);

    outbox.isReady = true;
    loop.wake();
    await settled();
    outbox.settle(1);
    await loop.idle();
    expect(outbox.sent).toEqual([1]);
    loop.stop();
  });

  test('after stop nothing more is claimed, and the row running finishes', async () => {
    const outbox = new MemoryOutbox();
    const loop = new ClaimLoop(outbox, { clock, concurrency: 1, pollMs: 60_000 });
    outbox.add({ id: 1, incident: 1 }, { id: 2, incident: 2 });
    loop.wake();
    await settled();
    loop.stop();
    outbox.settle(1);
    await loop.idle();
    expect(outbox.sent).toEqual([1]);
    expect(outbox.running).toEqual([]);
  });
});
