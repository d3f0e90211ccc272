import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const FIREBELL_BIN = fileURLToPath(new URL('../../bin/firebell.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `firebell` binary to completion, feeding it stdin. */
export function runFirebell(args: string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnFirebell(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Starts the real binary with pipes, for tests that talk to it line by line or kill it. */
export function spawnFirebell(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [FIREBELL_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', HTTP_PORT: '0', ...env },
    stdio: 'pipe',
  });
}

/**
 * The real binary running as a bot, typed at through a pipe: each `say` sends one command and
 * resolves with the next line it prints.
 */
export class RunningFirebell {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private out = '';
  private err = '';
  private waiters: (() => void)[] = [];

  constructor(env: Record<string, string>, args: string[] = []) {
    this.child = spawnFirebell(args, env);
    this.child.stdout.on('data', (d: Buffer) => this.take(() => (this.out += d.toString('utf8'))));
    this.child.stderr.on('data', (d: Buffer) => this.take(() => (this.err += d.toString('utf8'))));
    // 'close', not 'exit': by then everything it printed has been read.
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => this.take(() => resolve({ code, signal }))));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** Sends a command and resolves with the line printed in answer (or rejects if the bot exits first). */
  async say(command: string): Promise<string> {
    const before = this.lines().length;
    this.child.stdin.write(`${command}\n`);
    await this.waitFor(() => this.lines().length > before);
    return this.lines()[before]!;
  }

  /** Resolves once check() holds for what has been printed; rejects if the process exits first. */
  async waitFor(check: () => boolean): Promise<void> {
    let gone = false;
    void this.exited.then(() => (gone = true));
    while (!check()) {
      if (gone) {
        throw new Error(`firebell exited (${this.child.exitCode ?? this.child.signalCode}); stderr: ${this.err}`);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Ends its input, as a finished script does, and resolves with how it exited. */
  end(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    return this.exited;
  }

  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }

  /** Complete lines printed so far. */
  private lines(): string[] {
    return this.out.split('\n').slice(0, -1);
  }

  private take(update: () => void): void {
    update();
    for (const w of this.waiters.splice(0)) w();
  }
}
