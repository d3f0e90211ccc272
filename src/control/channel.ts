import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { chmod, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { Logger } from 'pino';

/**
 * How `firebell export` (and later other commands) asks the running bot, which holds the data
 * directory, instead of opening its database a second time. A Unix socket, mode 0600; one JSON
 * request line in, one JSON response line out, then the connection ends.
 */
export interface ControlRequest {
  op: string;
  [field: string]: unknown;
}

export type ControlResponse = { ok: true; [field: string]: unknown } | { ok: false; error: string };

export type ControlHandler = (request: ControlRequest) => Promise<ControlResponse>;

/** Longest request line taken: requests are a few fields, never user data in bulk. */
const MAX_REQUEST_BYTES = 64 * 1024;
/** A client that says nothing for this long is dropped, so it holds nothing open. */
const IDLE_TIMEOUT_MS = 10_000;
/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 100;

/**
 * DATA_DIR/firebell.sock when that fits in a socket address; otherwise a name in the temporary
 * directory derived from the data directory's real path (and the user), the same in every process.
 */
export function controlSocketPath(dataDir: string): string {
  const inDataDir = join(dataDir, 'firebell.sock');
  if (Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH_BYTES) return inDataDir;
  let real = dataDir;
  try {
    real = realpathSync(dataDir);
  } catch {
    // Not created yet: its path as given is what later starts will derive the name from too.
  }
  const uid = process.getuid?.() ?? 0;
  const key = createHash('sha256').update(`${uid}\0${real}`).digest('hex').slice(0, 24);
  return join(tmpdir(), `firebell-${key}.sock`);
}

export class ControlChannel {
  private readonly clients = new Set<Socket>();
  private readonly answering = new Set<Promise<void>>();
  private handlers: Record<string, ControlHandler> | null = null;
  private closing = false;
  private ready: Promise<void>;
  private markReady!: () => void;

  private constructor(
    private readonly server: Server,
    readonly path: string,
    private readonly log: Logger,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    server.on('connection', (socket) => this.accept(socket));
  }

  /**
   * Listens at path, replacing a socket left there by a killed holder (the caller holds the data
   * directory, so nothing else can be listening there). Requests wait until serve() is called.
   */
  static async listen(path: string, log: Logger): Promise<ControlChannel> {
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    const server = createServer();
    // Created 0600 from the start: chmod after bind would leave a moment for anyone to connect.
    const umask = isMainThread ? process.umask(0o177) : null;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } finally {
      if (umask !== null) process.umask(umask);
    }
    await chmod(path, 0o600);
    return new ControlChannel(server, path, log);
  }

  serve(handlers: Record<string, ControlHandler>): void {
    this.handlers = handlers;
    this.markReady();
  }

  /**
   * Stops listening and removes the socket; requests being answered are finished first (they read
   * the database, which closes next), clients that have not asked yet are dropped.
   */
  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Requests still waiting for serve() are answered that we are stopping.
    this.markReady();
    await Promise.all(this.answering);
    for (const client of this.clients) client.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    this.clients.add(socket);
    socket.on('close', () => this.clients.delete(socket));
    // A client that goes away mid-answer is its own business, not a fault of ours.
    socket.on('error', (err) => this.log.debug({ err }, 'control client went away'));
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    socket.setEncoding('utf8');
    let received = '';
    const onData = (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end === -1 && Buffer.byteLength(received) <= MAX_REQUEST_BYTES) return;
      socket.off('data', onData);
      // Too late: the database is about to close.
      if (this.closing) return void socket.destroy();
      // The request is in: answering may take longer than a silent client is allowed to wait.
      socket.setTimeout(0);
      const line = end === -1 ? null : received.slice(0, end);
      const answering = this.answer(line).then((response) => {
        if (!socket.destroyed) socket.end(`${JSON.stringify(response)}\n`);
      });
      this.answering.add(answering);
      void answering.finally(() => this.answering.delete(answering));
    };
    socket.on('data', onData);
  }

  private async answer(line: string | null): Promise<ControlResponse> {
    if (line === null) return { ok: false, error: 'request too long' };
    const request = parseRequest(line);
    if (!request) return { ok: false, error: 'not a request: send one JSON object with an "op" on one line' };
    await this.ready;
    if (!this.handlers) return { ok: false, error: 'firebell is stopping' };
    const handler = Object.hasOwn(this.handlers, request.op) ? this.handlers[request.op] : undefined;
    if (!handler) return { ok: false, error: `unknown request "${request.op}"` };
    try {
      return await handler(request);
    } catch (err) {
      this.log.error({ err, op: request.op }, 'control request failed');
      return { ok: false, error: `${request.op} failed on the bot's side; it was logged` };
    }
  }
}

function parseRequest(line: string): ControlRequest | null {
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    return typeof (v as { op?: unknown }).op === 'string' ? (v as ControlRequest) : null;
  } catch {
    return null;
  }
}

export type AskOutcome = { ok: true; response: ControlResponse } | { ok: false; problem: string };

/** Sends one request to the process listening at path; a missing or silent listener is an outcome, not a fault. */
export function askControlChannel(path: string, request: ControlRequest, timeoutMs = 60_000): Promise<AskOutcome> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    let received = '';
    let done = false;
    const finish = (outcome: AskOutcome) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => finish({ ok: false, problem: `no answer within ${timeoutMs / 1000} s` }));
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, problem: err.code ?? err.message }));
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => {
      const line = received.split('\n', 1)[0]!;
      if (line === '') return finish({ ok: false, problem: 'it closed the connection without answering' });
      try {
        const response = JSON.parse(line) as ControlResponse;
        finish({ ok: true, response });
      } catch {
        finish({ ok: false, problem: 'its answer is not JSON' });
      }
    });
  });
}
