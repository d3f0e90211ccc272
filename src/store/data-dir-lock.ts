import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, realpath, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { StartupError } from '../startup-error.ts';

/**
 * One process holds a data directory: PGlite has one writer, and so has the command journal (even
 * when the database is Postgres). Two writers lose acknowledged entries, so a second process is
 * refused, and a lock left by a killed holder is taken over at the next start.
 */
const LOCK_FILE = 'firebell.lock';

/** What the lock file says about the process holding a data directory. */
export interface LockHolder {
  pid: number;
  /** Linux: the start time in /proc/<pid>/stat, so that a reused pid is not taken for the holder. */
  startTime: string | null;
  /** What it is doing: `run` (the bot), `export`, `migrate`. */
  command: string;
  /** Where it answers requests (the bot's control channel), if anywhere. */
  socket: string | null;
}

export type LockOutcome = { ok: true; lock: DataDirLock } | { ok: false; holder: LockHolder };

/** Lock files this process holds or is taking: a lock naming our own pid is stale unless listed here. */
const heldHere = new Set<string>();

export class DataDirLock {
  private released = false;

  constructor(
    readonly dataDir: string,
    private readonly path: string,
    private readonly mine: LockFile,
  ) {}

  /** Removes the lock file, provided it is still ours. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (sameLock(await readLock(this.path), this.mine)) await unlink(this.path).catch(ignoreMissing);
    heldHere.delete(this.path);
  }
}

/** `DATA_DIR /srv/firebell is in use by firebell pid 4121`: the start of every refusal line. */
export function describeHolder(dataDir: string, holder: LockHolder): string {
  const doing = holder.command === 'run' ? '' : ` (firebell ${holder.command})`;
  return `DATA_DIR ${resolve(dataDir)} is in use by firebell pid ${holder.pid}${doing}`;
}

/**
 * Takes the data directory (creating it if need be), or says who holds it. Nothing in the
 * directory is written when a live process holds it. Throws a StartupError (exit status 2) when
 * DATA_DIR cannot be used at all.
 */
export async function lockDataDir(dir: string, purpose: Pick<LockHolder, 'command' | 'socket'>): Promise<LockOutcome> {
  const dataDir = resolve(dir);
  await makeDataDir(dataDir);
  const path = join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, startTime: await processStartTime(process.pid), ...purpose };
  if (heldHere.has(path)) return { ok: false, holder: (await readLock(path))?.holder ?? me };
  heldHere.add(path);
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = await readLock(path);
      if (current?.holder && (await isRunning(current.holder))) {
        heldHere.delete(path);
        return { ok: false, holder: current.holder };
      }
      if (current) {
        await removeStale(path, current, await realpath(dataDir));
        continue;
      }
      const mine = await createExclusive(dataDir, path, me);
      // Re-read: what we linked must still be there, or someone else's takeover won after all.
      if (mine && sameLock(await readLock(path), mine)) return { ok: true, lock: new DataDirLock(dataDir, path, mine) };
    }
    throw new Error(`${path} kept changing while firebell tried to take it`);
  } catch (err) {
    heldHere.delete(path);
    // A lock file we may not read (another user's firebell) is the directory's problem, not a fault.
    if ((err as NodeJS.ErrnoException).code === 'EACCES') throw unusable(dataDir, 'cannot be read', err);
    throw err;
  }
}

/**
 * Creates the lock file whole or not at all: the record is written to a file of our own, then
 * hard-linked to the lock's name, which fails if the name exists. A reader never sees a half-written
 * lock. Returns the lock as written, or null when another process got there first.
 */
async function createExclusive(dataDir: string, path: string, me: LockHolder): Promise<LockFile | null> {
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const text = `${JSON.stringify(me)}\n`;
  try {
    await writeFile(draft, text, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    throw unusable(dataDir, 'is not writable', err);
  }
  try {
    const { ino } = await stat(draft);
    await link(draft, path);
    return { inode: ino, text, holder: me };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw unusable(dataDir, 'cannot hold a lock file', err);
  } finally {
    await unlink(draft).catch(ignoreMissing);
  }
}

interface LockFile {
  inode: number;
  text: string;
  /** Null when the file cannot be read as a lock (damaged): it holds nothing. */
  holder: LockHolder | null;
}

/** The same file with the same record: an inode number alone can be reused by the next file made. */
function sameLock(a: LockFile | null, b: LockFile): boolean {
  return a !== null && a.inode === b.inode && a.text === b.text;
}

async function readLock(path: string): Promise<LockFile | null> {
  let text: string;
  let inode: number;
  try {
    // One open file for both, so the inode and the text belong to the same lock.
    const fh = await open(path, 'r');
    try {
      inode = (await fh.stat()).ino;
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return { inode, text, holder: parseHolder(text) };
}

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isSafeInteger(v.pid) || (v.pid ?? 0) <= 0) return null;
    return {
      pid: v.pid!,
      startTime: typeof v.startTime === 'string' ? v.startTime : null,
      command: typeof v.command === 'string' ? v.command : 'run',
      socket: typeof v.socket === 'string' ? v.socket : null,
    };
  } catch {
    return null;
  }
}

/**
 * Whether the process a lock names is still running. Our own pid is not (we are only starting):
 * a container restarted with the same low pid finds its predecessor's lock naming itself. Nor is
 * a process with that pid but another start time: the pid was reused.
 */
async function isRunning(holder: LockHolder): Promise<boolean> {
  if (holder.pid === process.pid) return false;
  if (process.platform !== 'linux') return signalable(holder.pid);
  const stat = await readProcStat(holder.pid);
  // A zombie has released everything it held; it only waits for its parent to reap it.
  if (stat === null || stat.state === 'Z' || stat.state === 'X') return false;
  return holder.startTime === null || holder.startTime === stat.startTime;
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Fields 3 and 22 of /proc/<pid>/stat; null when there is no such process (or no /proc). */
async function readProcStat(pid: number): Promise<{ state: string; startTime: string } | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
}

async function processStartTime(pid: number): Promise<string | null> {
  return process.platform === 'linux' ? ((await readProcStat(pid))?.startTime ?? null) : null;
}

/**
 * Removes a stale lock, if it is still the one judged stale. Two processes that both found it
 * stale must not both remove it: the second would remove the first one's fresh lock. So on Linux
 * a takeover holds an abstract socket named after the directory (the kernel lets one process bind
 * it, and releases it if that process dies), and re-checks the lock inside it. Elsewhere the
 * re-read after taking the lock is the only check.
 */
async function removeStale(path: string, stale: LockFile, realDataDir: string): Promise<void> {
  // Named after the real path: two processes may reach one directory through different links.
  const guard = await takeGuard(realDataDir);
  if (guard === 'busy') {
    await delay(5);
    return;
  }
  try {
    if (sameLock(await readLock(path), stale)) await unlink(path).catch(ignoreMissing);
  } finally {
    guard?.close();
  }
}

async function takeGuard(realDataDir: string): Promise<Server | null | 'busy'> {
  if (process.platform !== 'linux') return null;
  const name = `\0firebell-takeover-${createHash('sha256').update(realDataDir).digest('hex').slice(0, 32)}`;
  const server = createServer();
  return new Promise((resolveGuard, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolveGuard('busy') : reject(err)));
    server.listen(name, () => {
      // A guard must never keep the process alive on its own.
      server.unref();
      resolveGuard(server);
    });
  });
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns under /proc (mkdir there
 * fails with ENOENT, which it takes for a missing parent, forever).
 */
async function makeDataDir(dataDir: string): Promise<void> {
  const make = async (dir: string, parentMade: boolean): Promise<void> => {
    try {
      await mkdir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return;
      if (code !== 'ENOENT' || parentMade || dirname(dir) === dir) throw unusable(dataDir, 'cannot be created', err);
      await make(dirname(dir), false);
      await make(dir, true);
    }
  };
  await make(dataDir, false);
  const st = await stat(dataDir).catch((err: unknown) => {
    throw unusable(dataDir, 'cannot be read', err);
  });
  if (!st.isDirectory()) throw new StartupError(`DATA_DIR ${dataDir} is a file, not a directory: set DATA_DIR to a directory firebell can write to`, 2);
}

function unusable(dataDir: string, what: string, err: unknown): StartupError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new StartupError(`DATA_DIR ${dataDir} ${what} (${code}): set DATA_DIR to a directory firebell can write to`, 2);
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
