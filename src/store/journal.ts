import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncPath } from './fsync.ts';

interface JournaledActor {
  platform: string;
  id: string;
  name: string;
}

/** A command as it arrived, with everything needed to run it again later, exactly as it came. */
export interface JournaledCommand {
  verb: string;
  text: string;
  payload?: unknown;
  actor: JournaledActor;
  attribution?: { author: JournaledActor; at: string };
  channel: { platform: string; id: string };
  eventId: string;
  idempotencyKey?: string;
  replyTo?: Record<string, string>;
  receivedAt: string;
}

export interface JournalRecord {
  seq: number;
  command: JournaledCommand;
}

type Line = { s: number; c: JournaledCommand } | { d: number[] };

/**
 * The local, append-only, fsync'd record of every command that changes something (DESIGN §1:
 * the incident tool must not depend on what is failing). A command is written here before it is
 * run, and marked settled once its outcome is final; whatever is unsettled at start-up, or while
 * the database is unreachable, is run again in order. Running a command twice records it once:
 * the database remembers every event id it has processed.
 */
export class CommandJournal {
  private nextSeq: number;
  private readonly unsettled: Map<number, JournaledCommand>;
  private settledBuffer: number[] = [];
  private queued: { text: string; run?: () => Promise<void>; resolve(): void; reject(err: unknown): void }[] = [];
  private pumping = false;
  private sizeBytes: number;

  private constructor(
    readonly path: string,
    private fh: FileHandle,
    pending: Map<number, JournaledCommand>,
    nextSeq: number,
    sizeBytes: number,
  ) {
    this.unsettled = pending;
    this.nextSeq = nextSeq;
    this.sizeBytes = sizeBytes;
  }

  static async open(path: string): Promise<CommandJournal> {
    await mkdir(dirname(path), { recursive: true });
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const pending = new Map<number, JournaledCommand>();
    let maxSeq = 0;
    // Bytes of whole, readable lines: anything after them is cut off before appending again.
    let wholeBytes = 0;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      const complete = i < lines.length - 1;
      if (raw === '') {
        if (complete) wholeBytes += 1;
        continue;
      }
      let parsed: Line;
      try {
        if (!complete) throw new Error('no end of line');
        parsed = JSON.parse(raw) as Line;
      } catch (err) {
        // Only the last line can be torn (power lost mid-write); it was never acknowledged.
        if (i >= lines.length - 2) break;
        throw new Error(`${path}: line ${i + 1} is damaged: ${(err as Error).message}`);
      }
      wholeBytes += Buffer.byteLength(raw) + 1;
      if ('s' in parsed) {
        pending.set(parsed.s, parsed.c);
        maxSeq = Math.max(maxSeq, parsed.s);
      } else {
        for (const s of parsed.d) pending.delete(s);
      }
    }
    const fh = await openForAppend(path);
    if (wholeBytes < Buffer.byteLength(text)) {
      await fh.truncate(wholeBytes);
      await fh.sync();
    }
    await fsyncPath(dirname(path));
    return new CommandJournal(path, fh, pending, maxSeq + 1, wholeBytes);
  }

  /** Commands written but not yet settled, oldest first. */
  pending(): JournalRecord[] {
    return [...this.unsettled].sort((a, b) => a[0] - b[0]).map(([seq, command]) => ({ seq, command }));
  }

  get size(): number {
    return this.sizeBytes;
  }

  /**
   * Writes the commands and resolves once they are on disk. Appends that arrive while a write is
   * in flight share the next write and fsync (group commit).
   */
  append(commands: readonly JournaledCommand[]): Promise<number[]> {
    const seqs = commands.map((command) => {
      const seq = this.nextSeq++;
      this.unsettled.set(seq, command);
      return seq;
    });
    const text = commands.map((c, i) => JSON.stringify({ s: seqs[i]!, c } satisfies Line) + '\n').join('');
    return this.enqueue(text).then(() => seqs);
  }

  /** Marks outcomes final, written with the next write: losing a mark only means a harmless re-run that records nothing. */
  settle(seqs: readonly number[]): void {
    for (const s of seqs) this.unsettled.delete(s);
    this.settledBuffer.push(...seqs);
  }

  /** Writes the settled marks still buffered. */
  flush(): Promise<void> {
    return this.enqueue('');
  }

  /** The seq the next command will get: compare before and after to know whether any arrived. */
  get nextSequence(): number {
    return this.nextSeq;
  }

  /**
   * Starts the file afresh, provided nothing in it is pending and no command has arrived since
   * `watermark` (the caller first made the database durable up to then). Runs between writes, so
   * no append can land in the file being replaced. True when it compacted.
   */
  compact(watermark: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queued.push({
        text: '',
        run: async () => resolve(await this.compactNow(watermark)),
        resolve: () => undefined,
        reject,
      });
      void this.pump();
    });
  }

  private async compactNow(watermark: number): Promise<boolean> {
    if (this.unsettled.size > 0 || this.nextSeq !== watermark) return false;
    const tmp = `${this.path}.tmp`;
    const fresh = await open(tmp, 'w');
    await fresh.sync();
    await fresh.close();
    await rename(tmp, this.path);
    await fsyncPath(dirname(this.path));
    await this.fh.close();
    this.fh = await openForAppend(this.path);
    this.sizeBytes = 0;
    this.settledBuffer = [];
    return true;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.fh.close();
  }

  private enqueue(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ text, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    while (this.queued.length > 0) {
      const op = this.queued[0]!;
      if (op.run) {
        this.queued.shift();
        await op.run().catch(op.reject);
        continue;
      }
      const until = this.queued.findIndex((w) => w.run !== undefined);
      const writes = this.queued.splice(0, until === -1 ? this.queued.length : until);
      const text = this.takeSettled() + writes.map((w) => w.text).join('');
      try {
        if (text !== '') {
          const buf = Buffer.from(text);
          await this.fh.write(buf);
          this.sizeBytes += buf.length;
        }
        for (const w of writes) w.resolve();
      } catch (err) {
        for (const w of writes) w.reject(err);
      }
    }
    this.pumping = false;
  }

  private takeSettled(): string {
    if (this.settledBuffer.length === 0) return '';
    const line = JSON.stringify({ d: this.settledBuffer } satisfies Line) + '\n';
    this.settledBuffer = [];
    return line;
  }
}

/**
 * Every write is on disk when it returns (O_DSYNC): one system call where write + fdatasync took
 * two trips through libuv's thread pool.
 */
function openForAppend(path: string): Promise<FileHandle> {
  return open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC, 0o644);
}
