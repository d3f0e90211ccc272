/**
 * A local fake of the Slack Web API: a real HTTP server that Bolt's WebClient can be pointed at
 * (`clientOptions.slackApiUrl = fake.apiUrl`). It checks every call's arguments as Slack documents
 * them (method-rules.ts), keeps a tiny workspace's state, answers with Slack's payloads and error
 * codes (HTTP 200 `{ok:false,error}`; 429 + Retry-After when rate limited), and records every
 * call, so a test can assert what the bot did and that `fake.invalidCalls` is empty.
 *
 * Routes: `POST /api/<method>`; the upload URLs it hands out (`/upload/v1/<file>`, the second step
 * of files.uploadV2); response URLs (`/commands/…`, what Bolt's respond() posts to); `POST /empty`,
 * an empty round trip for benchmarks, never delayed.
 *
 *   const fake = await startFakeSlack({ now: () => clock.now() });
 *   fake.addUser({ name: 'alice' }); fake.addChannel({ name: 'ops' });
 *   new App({ token: fake.botToken, clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }, … });
 *   await fake.waitForCall('chat.postMessage');
 *   expect(fake.invalidCalls).toEqual([]);
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseApiArgs, parseContentType, readBody, readMultipart } from './body.ts';
import { checkBlocks } from './block-kit.ts';
import { checkArgs } from './method-rules.ts';
import { METHODS, type MethodContext, type OpenedView } from './methods.ts';
import { Workspace, type FakeChannel, type FakeFile, type FakeMessage, type FakeUser } from './workspace.ts';

export type { FakeChannel, FakeFile, FakeMessage, FakeUser, OpenedView };
export { checkChannelName, ID_PATTERNS } from './method-rules.ts';

export interface FakeSlackCall {
  /** A Web API method, or `upload_url` / `response_url` for those endpoints. */
  method: string;
  /** As decoded: booleans, numbers, and the JSON of blocks/view/files as objects. */
  args: Record<string, unknown>;
  status: number;
  ok: boolean;
  error?: string;
  /** The call broke Slack's documented rules (a bad argument, no token, an unknown method). */
  invalid: boolean;
  /** The answer came from failNext/rateLimitNext, not from the workspace. */
  injected: boolean;
  messages?: string[];
  at: Date;
}

/** What a listener posted to a response_url (Bolt's respond()). */
export interface ResponsePost {
  channelId: string;
  userId: string;
  responseType: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: unknown[];
  replaceOriginal: boolean;
  deleteOriginal: boolean;
}

export interface FakeSlackOptions {
  /** The clock for message timestamps and trigger/response_url expiry (default: real time). */
  now?: () => Date;
  botToken?: string;
  appToken?: string;
}

/** What a Socket Mode client sent back for an envelope: its ack, with the response payload if any. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

interface Fault {
  kind: 'error' | 'ratelimited';
  error: string;
  retryAfterSec: number;
  times: number;
}

interface ResponseUrl {
  channelId: string;
  userId: string;
  createdAt: number;
  uses: number;
}

// "You can use a response_url to respond up to 5 times within 30 minutes" (api.slack.com/interactivity/handling).
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(options);
  await fake.start();
  return fake;
}

export class FakeSlack {
  readonly botToken: string;
  /** The app-level token Socket Mode connects with (apps.connections.open). */
  readonly appToken: string;
  readonly calls: FakeSlackCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly ephemerals: { channel: string; user: string; text: string; blocks?: unknown[] }[] = [];
  /** Every Web API call waits this long before it is answered, as a slow Slack would. */
  delayMs = 0;
  url = '';
  private readonly ws: Workspace;
  private readonly ctx: MethodContext;
  private readonly faults = new Map<string, Fault[]>();
  private readonly responseUrls = new Map<string, ResponseUrl>();
  private readonly events = new EventEmitter();
  private server: Server | null = null;
  private triggerSeq = 0;

  constructor(options: FakeSlackOptions = {}) {
    this.botToken = options.botToken ?? 'xoxb-1000000001-2000000002-firebellfaketoken';
    this.appToken = options.appToken ?? 'xapp-1-A0FIREBELL-3000000003-firebellfakeapptoken';
    this.ws = new Workspace(options.now ?? (() => new Date()));
    this.ctx = { ws: this.ws, baseUrl: '', triggersIssuedAt: new Map(), triggersUsed: new Set(), views: [] };
    this.events.setMaxListeners(0);
  }

  /** The base for `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get team() {
    return this.ws.team;
  }

  get bot() {
    return this.ws.bot;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake slack failed: ${(err as Error).stack ?? String(err)}`);
      });
    });
    // Idle connections are closed by the client first, so a reused one never races our close.
    server.keepAliveTimeout = 60_000;
    // Socket Mode: the URL apps.connections.open hands out is a WebSocket on this same server.
    this.sockets = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      const ticket = new URL(req.url ?? '/', 'http://fake').searchParams.get('ticket');
      if (!req.url?.startsWith('/link/') || !ticket || !this.tickets.delete(ticket)) return void socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      this.sockets!.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.ctx.baseUrl = this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const ws of this.sockets?.clients ?? []) ws.terminate();
    this.sockets?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- Socket Mode ----

  private sockets: WebSocketServer | null = null;
  private readonly tickets = new Set<string>();
  private readonly acks = new Map<string, (ack: SocketAck) => void>();
  private envelopeSeq = 0;

  private onSocket(ws: WebSocket): void {
    ws.on('message', (data: Buffer) => {
      let ack: SocketAck;
      try {
        ack = JSON.parse(data.toString('utf8')) as SocketAck;
      } catch {
        return;
      }
      this.acks.get(ack.envelope_id)?.(ack);
      this.acks.delete(ack.envelope_id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets?.clients.size ?? 1, debug_info: { host: 'applink-fake', approximate_connection_time: 18060 }, connection_info: { app_id: this.ws.bot.appId } }));
    this.events.emit('socket');
  }

  /** Resolves once a Socket Mode client has connected and been greeted. */
  waitForSocket(timeoutMs = 5_000): Promise<void> {
    if ((this.sockets?.clients.size ?? 0) > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake slack: no Socket Mode connection')), timeoutMs);
      this.events.once('socket', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Sends one envelope over Socket Mode as Slack does (`slash_commands`, `events_api`,
   * `interactive`) and resolves with the client's ack for it.
   */
  sendEnvelope(type: 'slash_commands' | 'events_api' | 'interactive', payload: Record<string, unknown>, opts: { retryAttempt?: number } = {}): Promise<SocketAck> {
    const ws = [...(this.sockets?.clients ?? [])][0];
    if (!ws) return Promise.reject(new Error('fake slack: no Socket Mode client connected'));
    const envelopeId = `${randomBytes(4).toString('hex')}-${++this.envelopeSeq}`;
    const acked = new Promise<SocketAck>((resolve) => this.acks.set(envelopeId, resolve));
    ws.send(
      JSON.stringify({
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryAttempt ? 'timeout' : '' } : {}),
      }),
    );
    return acked;
  }

  // ---- the workspace, for arranging a test and asserting on it ----

  addUser(user: Partial<FakeUser> & { name: string }): FakeUser {
    return this.ws.addUser(user);
  }

  user(id: string): FakeUser | undefined {
    return this.ws.users.get(id);
  }

  /** A channel someone else made; the bot is a member only if listed. */
  addChannel(channel: { name: string; id?: string; members?: string[]; isPrivate?: boolean; isGeneral?: boolean }): FakeChannel {
    const creator = channel.members?.[0] ?? 'U0CREATOR1';
    return this.ws.addChannel({ ...channel, creator, members: channel.members ?? [] });
  }

  channel(id: string): FakeChannel | undefined {
    return this.ws.channels.get(id);
  }

  channelByName(name: string): FakeChannel | undefined {
    return this.ws.channelByName(name);
  }

  /** A person's message, as if typed in Slack; `at` sets its ts, `threadTs` makes it a reply. */
  postAsUser(channelId: string, userId: string, text: string, opts: { at?: Date; threadTs?: string } = {}): FakeMessage {
    if (!this.ws.channels.has(channelId)) throw new Error(`fake slack: no channel ${channelId}`);
    return this.ws.addMessage({ channel: channelId, user: userId, text, ...(opts.threadTs ? { threadTs: opts.threadTs } : {}), ...(opts.at ? { at: opts.at } : {}) });
  }

  /** Every message in the channel, thread replies included, oldest first. */
  messagesIn(channelId: string): FakeMessage[] {
    return this.ws.messagesOf(channelId);
  }

  message(channelId: string, ts: string): FakeMessage | undefined {
    return this.ws.findMessage(channelId, ts);
  }

  pinnedIn(channelId: string): FakeMessage[] {
    return (this.ws.channels.get(channelId)?.pins ?? []).map((ts) => this.ws.findMessage(channelId, ts)!);
  }

  file(id: string): FakeFile | undefined {
    return this.ws.files.get(id);
  }

  get files(): FakeFile[] {
    return [...this.ws.files.values()];
  }

  /** The views opened with views.open, oldest first. */
  get views(): OpenedView[] {
    return this.ctx.views;
  }

  /** A trigger_id as Slack puts in a slash command; views.open refuses it 3 s after this call. */
  newTriggerId(): string {
    const id = `${Math.floor(this.ws.now().getTime() / 1000)}.${1000000 + ++this.triggerSeq}.${randomBytes(16).toString('hex')}`;
    this.ctx.triggersIssuedAt.set(id, this.ws.now().getTime());
    return id;
  }

  /** A response_url for a slash command typed in `channelId` by `userId`. */
  responseUrl(where: { channelId: string; userId: string }): string {
    const path = `/commands/${this.ws.team.id}/${1000000000 + this.responseUrls.size}/${randomBytes(12).toString('base64url')}`;
    this.responseUrls.set(path, { ...where, createdAt: this.ws.now().getTime(), uses: 0 });
    return this.url + path;
  }

  // ---- what the bot did ----

  get invalidCalls(): FakeSlackCall[] {
    return this.calls.filter((c) => c.invalid);
  }

  callsTo(method: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call (made or to come) to `method` that matches; rejects after `timeoutMs`. */
  waitForCall(method: string, match: (c: FakeSlackCall) => boolean = () => true, timeoutMs = 5_000): Promise<FakeSlackCall> {
    const found = this.calls.find((c) => c.method === method && match(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (c: FakeSlackCall) => {
        if (c.method !== method || !match(c)) return;
        clearTimeout(timer);
        this.events.off('call', onCall);
        resolve(c);
      };
      const timer = setTimeout(() => {
        this.events.off('call', onCall);
        const seen = this.calls.map((c) => `${c.method}${c.ok ? '' : ` (${c.error})`}`).join(', ') || 'none';
        reject(new Error(`fake slack: no matching ${method} call within ${timeoutMs} ms; calls seen: ${seen}`));
      }, timeoutMs);
      this.events.on('call', onCall);
    });
  }

  // ---- faults ----

  /** The next `times` calls to `method` answer `{ok:false, error}`. */
  failNext(method: string, error: string, times = 1): void {
    this.addFault(method, { kind: 'error', error, retryAfterSec: 0, times });
  }

  /** The next `times` calls to `method` answer HTTP 429 with `Retry-After: retryAfterSec`. */
  rateLimitNext(method: string, retryAfterSec: number, times = 1): void {
    this.addFault(method, { kind: 'ratelimited', error: 'ratelimited', retryAfterSec, times });
  }

  private addFault(method: string, fault: Fault): void {
    const queue = this.faults.get(method) ?? [];
    queue.push(fault);
    this.faults.set(method, queue);
  }

  private takeFault(method: string): Fault | null {
    const queue = this.faults.get(method);
    const fault = queue?.[0];
    if (!queue || !fault) return null;
    if (--fault.times <= 0) queue.shift();
    return fault;
  }

  // ---- HTTP ----

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const raw = await readBody(req);
    if (path === '/empty') return void res.writeHead(200, { 'content-length': 0 }).end();
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const api = /^\/api\/([A-Za-z.]+)$/.exec(path);
    if (api && (req.method === 'POST' || req.method === 'GET')) return this.answerApi(api[1]!, req, raw, res);
    const upload = /^\/upload\/v1\/([A-Z0-9]+)$/.exec(path);
    if (upload && req.method === 'POST') return this.answerUpload(upload[1]!, req, raw, res);
    if (path.startsWith('/commands/') && req.method === 'POST') return this.answerResponseUrl(path, req, raw, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  private record(call: Omit<FakeSlackCall, 'at'>): void {
    const recorded = { ...call, at: this.ws.now() };
    this.calls.push(recorded);
    this.events.emit('call', recorded);
  }

  private async answerApi(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const send = (status: number, body: Record<string, unknown>, call: { args: Record<string, unknown>; invalid?: boolean; injected?: boolean }, headers: Record<string, string> = {}) => {
      const ok = body.ok === true;
      const messages = (body.response_metadata as { messages?: string[] } | undefined)?.messages;
      this.record({
        method,
        args: call.args,
        status,
        ok,
        ...(ok ? {} : { error: body.error as string }),
        invalid: call.invalid ?? false,
        injected: call.injected ?? false,
        ...(messages ? { messages } : {}),
      });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
    };
    const fail = (error: string, args: Record<string, unknown>, invalid: boolean, messages?: string[]) =>
      send(200, { ok: false, error, ...(messages ? { response_metadata: { messages } } : {}) }, { args, invalid });

    const parsed = await parseApiArgs(req, raw);
    if (!parsed.ok) return fail(parsed.error, {}, true);
    const { token: bodyToken, ...args } = parsed.args;
    // A JSON body must carry its token in the Authorization header (docs.slack.dev/apis/web-api).
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (parsed.contentType === 'application/json' ? undefined : bodyToken);
    if (token === undefined || token === '') return fail('not_authed', args, true);
    if (method === 'apps.connections.open') {
      if (token === this.botToken) return fail('not_allowed_token_type', args, true);
      if (token !== this.appToken) return fail('invalid_auth', args, true);
      const ticket = randomBytes(16).toString('hex');
      this.tickets.add(ticket);
      return send(200, { ok: true, url: `${this.url.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${this.ws.bot.appId}` }, { args });
    }
    if (token !== this.botToken) return fail(token === this.appToken ? 'not_allowed_token_type' : 'invalid_auth', args, true);

    const checked = checkArgs(method, args);
    const fault = this.takeFault(method);
    // An injected answer does not hide a call that was invalid anyway.
    const injected = { args, injected: true, invalid: !checked.ok };
    if (fault?.kind === 'ratelimited') {
      return send(429, { ok: false, error: 'ratelimited' }, injected, { 'retry-after': String(fault.retryAfterSec) });
    }
    if (fault) return send(200, { ok: false, error: fault.error }, injected);
    if (!checked.ok) return fail(checked.error, args, true, checked.messages);

    const result = METHODS[method]!(checked.args, this.ctx);
    if (!result.ok) return fail(result.error, checked.args, result.invalid ?? false, result.messages);
    if (method === 'chat.postEphemeral') {
      const a = checked.args;
      this.ephemerals.push({ channel: a.channel as string, user: a.user as string, text: (a.text as string | undefined) ?? '', ...(Array.isArray(a.blocks) ? { blocks: a.blocks } : {}) });
    }
    send(200, { ok: true, ...result.body }, { args: checked.args });
  }

  /** Step 2 of files.uploadV2: the bytes, raw or as the multipart part `body` (what the SDK sends). */
  private async answerUpload(fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const file = this.ws.files.get(fileId);
    const { mediaType } = parseContentType(req.headers['content-type']);
    let bytes: Buffer | null = raw;
    if (mediaType === 'multipart/form-data') {
      const part = (await readMultipart(raw, req.headers['content-type']!))?.get('body');
      bytes = part && typeof part !== 'string' ? Buffer.from(await part.arrayBuffer()) : null;
    }
    const problem = !file || file.completed ? 'no such upload' : bytes === null ? 'no part named body' : bytes.length !== file.length ? `expected ${file.length} bytes, got ${bytes.length}` : null;
    this.record({ method: 'upload_url', args: { file_id: fileId, bytes: bytes?.length ?? 0 }, status: problem ? 400 : 200, ok: !problem, ...(problem ? { error: problem } : {}), invalid: problem !== null, injected: false });
    if (problem) return void res.writeHead(problem === 'no such upload' ? 404 : 400, { 'content-type': 'text/plain' }).end(problem);
    file!.content = bytes;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes!.length}`);
  }

  /**
   * respond(): Bolt posts JSON. The error words are those Slack's webhooks answer with
   * (`invalid_payload`, `no_text`, `invalid_blocks`, `no_service`); `expired_url` and `used_url`
   * when the URL is past its 30 minutes or its 5 uses.
   */
  private async answerResponseUrl(path: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const reply = (status: number, word: string, args: Record<string, unknown>) => {
      this.record({ method: 'response_url', args, status, ok: status === 200, ...(status === 200 ? {} : { error: word }), invalid: status !== 200, injected: false });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(word);
    };
    const target = this.responseUrls.get(path);
    if (!target) return reply(404, 'no_service', {});
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (parseContentType(req.headers['content-type']).mediaType !== 'application/json' || parsed === null || typeof parsed !== 'object') throw new Error();
      body = parsed as Record<string, unknown>;
    } catch {
      return reply(400, 'invalid_payload', {});
    }
    if (this.ws.now().getTime() - target.createdAt > RESPONSE_URL_LIFETIME_MS) return reply(404, 'expired_url', body);
    if (target.uses >= RESPONSE_URL_USES) return reply(404, 'used_url', body);
    const type = body.response_type ?? 'ephemeral';
    if (type !== 'ephemeral' && type !== 'in_channel') return reply(400, 'invalid_payload', body);
    const deleteOriginal = body.delete_original === true || body.delete_original === 'true';
    const hasText = typeof body.text === 'string' && body.text !== '';
    if (!deleteOriginal && !hasText && !Array.isArray(body.blocks)) return reply(400, 'no_text', body);
    if (body.blocks !== undefined && (!Array.isArray(body.blocks) || checkBlocks(body.blocks, '/blocks'))) return reply(400, 'invalid_blocks', body);
    target.uses++;
    const post: ResponsePost = {
      channelId: target.channelId,
      userId: target.userId,
      responseType: type,
      text: typeof body.text === 'string' ? body.text : '',
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
      replaceOriginal: body.replace_original === true || body.replace_original === 'true',
      deleteOriginal,
    };
    this.responses.push(post);
    if (type === 'in_channel' && this.ws.channels.has(target.channelId)) {
      this.ws.addMessage({ channel: target.channelId, user: this.ws.bot.userId, botId: this.ws.bot.botId, text: post.text, ...(post.blocks ? { blocks: post.blocks } : {}) });
    }
    reply(200, 'ok', body);
  }
}
