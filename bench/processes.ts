import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIREBELL_BIN = join(ROOT, 'bin', 'firebell.js');

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `firebell-bench-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Milliseconds from spawning a plain node script until it prints "ready". */
export async function timeToReadyLine(script: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve(performance.now() - started);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code} before it was ready`)));
  });
  await exited(child);
  return ready;
}

/**
 * Milliseconds from spawning firebell until GET /healthz answers 200 (it listens once it is ready
 * for commands). Its shell is then given end of input, so it stops cleanly.
 */
export async function timeFirebellToReady(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [FIREBELL_BIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', HTTP_PORT: String(port), ...env },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const stopped = exited(child);
  let readyAt = 0;
  for (;;) {
    const code = await Promise.race([stopped, new Promise<'running'>((r) => setTimeout(() => r('running'), 5))]);
    if (code !== 'running') throw new Error(`firebell exited ${code} before it was ready`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      readyAt = performance.now() - started;
      break;
    }
  }
  child.stdin!.end();
  const code = await stopped;
  if (code !== 0) throw new Error(`firebell exited ${code}`);
  return readyAt;
}

/**
 * The firebell binary's RSS once it is ready (GET /healthz answers), the way an operator runs it;
 * it is then stopped cleanly.
 */
export async function firebellRssAtReady(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, [FIREBELL_BIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', HTTP_PORT: String(port), ...env },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const stopped = exited(child);
  for (;;) {
    const code = await Promise.race([stopped, new Promise<'running'>((r) => setTimeout(() => r('running'), 5))]);
    if (code !== 'running') throw new Error(`firebell exited ${code} before it was ready`);
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
  }
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  child.stdin!.end();
  const code = await stopped;
  if (code !== 0) throw new Error(`firebell exited ${code}`);
  return rssKb * 1024;
}

/** Runs the firebell binary to completion; wall time and peak RSS (bytes), stdout discarded. */
export async function runFirebellMeasured(args: string[], env: Record<string, string>): Promise<{ ms: number; peakRssBytes: number; stdoutBytes: number }> {
  return runNodeMeasured(FIREBELL_BIN, args, env);
}

/** Runs a node script, its stdout counted and dropped; its time and peak RSS. */
export async function runNodeMeasured(script: string, args: string[], env: Record<string, string>): Promise<{ ms: number; peakRssBytes: number; stdoutBytes: number }> {
  const dir = await tempDir('rss');
  const rssFile = join(dir.path, 'peak-rss');
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', join(ROOT, 'bench', 'peak-rss.cjs'), script, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', HTTP_PORT: '0', BENCH_PEAK_RSS_FILE: rssFile, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdoutBytes = 0;
  child.stdout!.on('data', (d: Buffer) => (stdoutBytes += d.length));
  const code = await exited(child);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited ${code}`);
  const peakRssBytes = Number(await readFile(rssFile, 'utf8')) * 1024;
  await dir.remove();
  return { ms, peakRssBytes, stdoutBytes };
}

/** Runs a script of the bench in its own node process (TypeScript through tsx) and returns its stdout. */
export async function runScript(script: string, args: string[]): Promise<string> {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, ['--expose-gc', ...loader, join(ROOT, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await exited(child);
  if (code !== 0) throw new Error(`${script} exited ${code}`);
  return out;
}
