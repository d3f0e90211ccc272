import { connect, type Socket } from 'node:net';

/** One protocol line as received, split into its parts. */
export interface IrcLine {
  raw: string;
  /** `nick!user@host` or a server name; null when the line has none. */
  prefix: string | null;
  /** The nick part of the prefix. */
  nick: string | null;
  command: string;
  params: string[];
}

export function parseIrcLine(raw: string): IrcLine {
  let rest = raw;
  if (rest.startsWith('@')) rest = rest.slice(rest.indexOf(' ') + 1);
  let prefix: string | null = null;
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    prefix = rest.slice(1, space);
    rest = rest.slice(space + 1);
  }
  const trailingAt = rest.indexOf(' :');
  const middle = trailingAt === -1 ? rest : rest.slice(0, trailingAt);
  const [command = '', ...params] = middle.split(' ').filter((p) => p !== '');
  if (trailingAt !== -1) params.push(rest.slice(trailingAt + 2));
  return { raw, prefix, nick: prefix === null ? null : (prefix.split('!')[0] ?? null), command: command.toUpperCase(), params };
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Says what was awaited, for the failure message. */
  what?: string;
}

interface Waiter {
  predicate: (line: IrcLine) => boolean;
  resolve: (line: IrcLine) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A bare IRC client on a raw socket, so a test sees the exact protocol lines (irc-framework would
 * hide them). Every line received is kept in `lines`; `waitFor` resolves on the first matching
 * line after the previous match, on arrival, and fails the test after a generous timeout.
 */
export class RawIrcClient {
  readonly lines: IrcLine[] = [];
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  private cursor = 0;
  private waiters: Waiter[] = [];
  private buffer = Buffer.alloc(0);
  private isClosed = false;

  private constructor(
    private readonly socket: Socket,
    readonly nick: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        for (const w of this.waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(new Error(`${this.nick}: the connection closed while waiting. Last lines:\n${this.tail()}`));
        }
        resolve();
      });
    });
    socket.on('error', () => socket.destroy());
  }

  /** Connects and registers as `nick`; resolves on the welcome (001). */
  static async connect(port: number, nick: string, options: { host?: string; user?: string } = {}): Promise<RawIrcClient> {
    const socket = connect(port, options.host ?? '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawIrcClient(socket, nick);
    client.send(`NICK ${nick}`);
    client.send(`USER ${options.user ?? nick} 0 * :${nick} (test client)`);
    const reply = await client.waitFor((l) => ['001', '432', '433', 'ERROR'].includes(l.command), { what: 'registration' });
    if (reply.command !== '001') throw new Error(`${nick} could not register: ${reply.raw}`);
    return client;
  }

  /** Writes one protocol line as given; CRLF is added. */
  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Writes bytes exactly as given, line ends included, as an attacker or a broken client would. */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  privmsg(target: string, text: string): void {
    this.send(`PRIVMSG ${target} :${text}`);
  }

  /** Joins and resolves once the server has sent the channel's names. */
  async join(channel: string): Promise<void> {
    this.send(`JOIN ${channel}`);
    await this.waitFor((l) => l.command === '366' && l.params[1]?.toLowerCase() === channel.toLowerCase(), { what: `joining ${channel}` });
  }

  /** The first line after the last match that satisfies `predicate`, now or when it arrives. */
  waitFor(predicate: (line: IrcLine) => boolean, options: WaitOptions = {}): Promise<IrcLine> {
    for (let i = this.cursor; i < this.lines.length; i++) {
      if (predicate(this.lines[i]!)) {
        this.cursor = i + 1;
        return Promise.resolve(this.lines[i]!);
      }
    }
    const what = options.what ?? 'a line';
    if (this.isClosed) return Promise.reject(new Error(`${this.nick}: the connection is closed; no ${what}. Last lines:\n${this.tail()}`));
    this.cursor = this.lines.length;
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`${this.nick}: no ${what} within ${timeoutMs} ms. Last lines:\n${this.tail()}`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Says QUIT and waits for the server to close the connection. */
  async quit(): Promise<void> {
    if (!this.isClosed) this.send('QUIT :done');
    const timer = setTimeout(() => this.socket.destroy(), DEFAULT_TIMEOUT_MS);
    await this.closed;
    clearTimeout(timer);
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (let end = this.buffer.indexOf(0x0a); end !== -1; end = this.buffer.indexOf(0x0a)) {
      // Decoded per whole line, so a character split across two packets arrives intact.
      const raw = this.buffer.subarray(0, end).toString('utf8').replace(/\r$/, '');
      this.buffer = this.buffer.subarray(end + 1);
      if (raw === '') continue;
      const line = parseIrcLine(raw);
      if (line.command === 'PING') this.send(`PONG :${line.params.at(-1) ?? ''}`);
      this.lines.push(line);
      const waiter = this.waiters.find((w) => w.predicate(line));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        clearTimeout(waiter.timer);
        this.cursor = this.lines.length;
        waiter.resolve(line);
      }
    }
  }

  private tail(): string {
    return this.lines
      .slice(-10)
      .map((l) => `  ${l.raw}`)
      .join('\n');
  }
}
