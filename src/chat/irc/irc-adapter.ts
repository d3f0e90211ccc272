import { randomUUID } from 'node:crypto';
import IRC from 'irc-framework';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { incidentRef, type Incident } from '../../core/model.ts';
import type { Notice, RoleHolder } from '../../core/notices.ts';
import type { Actor } from '../../core/people.ts';
import { noticeText } from '../notice-text.ts';
import type { ChannelDirectory, ChatAdapter, Invocation, LateReply, Reply } from '../types.ts';
import { findVerb, type Verb } from '../verb.ts';
import { parseAddressed } from './addressing.ts';
import { isAllowed, type AllowRule, type IrcSender } from './allow.ts';
import { asciiLower } from './casemap.ts';
import { senderActor } from './identity.ts';
import { channelLengthFrom, incidentChannelName, isValidChannelName } from './channel-name.ts';
import { fitBytes, incidentTopic, MAX_CHANNEL_LINES, renderIrcNotice, renderIrcReply, stripFormatting } from './render.ts';
import { realTimers, SendQueue, type Timers } from './send-queue.ts';
import { cleanWireText, IRC_LINE_BYTES, messageBudget, splitForWire } from './wire.ts';

export interface IrcServer {
  host: string;
  port: number;
  tls: boolean;
  nick: string;
  sasl: { account: string; password: string } | null;
}

export interface IrcTuning {
  /** Waits between reconnect attempts; the last repeats. */
  reconnectDelaysMs?: readonly number[];
  /** How often to ask for the configured nick back while on an alternate. */
  reclaimNickMs?: number;
  /** Outgoing pacing (burst, then one line per interval). */
  burst?: number;
  intervalMs?: number;
  timers?: Timers;
  random?: () => number;
}

export interface IrcAdapterOptions extends IrcTuning {
  server: IrcServer;
  /** IRC_CHANNELS: joined on every connection. */
  channels: readonly string[];
  opsChannel: string | null;
  /** IRC_ALLOW; null lets everyone in the bot's channels change incidents. */
  allow: readonly AllowRule[] | null;
  router: { readonly verbs: readonly Verb[]; dispatch(inv: Invocation): Promise<Reply> };
  directory: ChannelDirectory;
  clock: Clock;
  log: Logger;
}

const PLATFORM = 'irc';
const DEFAULT_RECONNECT_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
const DEFAULT_RECLAIM_NICK_MS = 60_000;
const QUIT_WAIT_MS = 3_000;
const QUIT_REASON = 'firebell is stopping';

interface Connection {
  client: IRC.Client;
  registered: boolean;
}

/**
 * firebell on IRC (DESIGN §2), over irc-framework, adding what it lacks (research notes §4): a
 * paced send queue, wire-clean text everywhere, a reconnect loop that never gives up (also when the
 * first connection fails), an alternate nick and its reclaim, and rejoining every channel it should
 * be in on each connection, incident channels read from the database.
 */
export class IrcAdapter implements ChatAdapter {
  readonly platform = PLATFORM;
  readonly name = PLATFORM;
  private readonly timers: Timers;
  private readonly queue: SendQueue<string>;
  private readonly verbNames: ReadonlySet<string>;
  private connection: Connection | null = null;
  private running = false;
  private reconnectAttempt = 0;
  private reconnectTimer: unknown = null;
  private reclaimTimer: unknown = null;
  /** Lines said while disconnected, or cut off by a drop: said after the next registration. */
  private unsent: string[] = [];
  /** Incident channels (lower-cased) → incident id: where the short `!verb` form works. */
  private readonly incidentChannels = new Map<string, number>();
  /** Accounts learned from extended-join and account-notify, by lower-cased nick. */
  private readonly accounts = new Map<string, string>();
  /** The commander each topic shows, as last told: a closing notice does not carry one. */
  private readonly commanders = new Map<number, RoleHolder | null>();

  constructor(private readonly opts: IrcAdapterOptions) {
    this.timers = opts.timers ?? realTimers;
    this.queue = new SendQueue((line) => this.write(line), {
      timers: this.timers,
      ...(opts.burst !== undefined ? { burst: opts.burst } : {}),
      ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
    });
    this.verbNames = new Set(opts.router.verbs.filter((v) => !v.internal).flatMap((v) => [v.name, ...v.aliases]));
  }

  /** Connects in the background: a server that is down now is tried again, with backoff, until stop(). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { host, port, tls, nick } = this.opts.server;
    if (this.opts.allow === null) this.opts.log.warn('IRC_ALLOW is not set: everyone in the bot\u2019s channels can change incidents');
    this.opts.log.info({ host, port, tls, nick }, 'irc connecting');
    this.connect();
  }

  /** Says QUIT with a reason and stops reconnecting; start() may connect again later. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clearTimer('reconnectTimer');
    this.clearTimer('reclaimTimer');
    this.queue.clear();
    const connection = this.connection;
    this.connection = null;
    if (!connection) return;
    const { client } = connection;
    if (client.connected) {
      // Said and flushed before the socket closes; a server that does not close it gets a few seconds.
      let timer: unknown = null;
      const closed = new Promise<void>((resolve) => {
        client.once('close', () => resolve());
        timer = this.timers.setTimeout(resolve, QUIT_WAIT_MS);
      });
      client.quit(QUIT_REASON);
      await closed;
      this.timers.clearTimeout(timer);
    } else {
      // Still connecting (or between attempts): drop the socket, if any, without a word.
      client.quit();
    }
    client.removeAllListeners();
  }

  private connect(): void {
    const { host, port, tls, nick, sasl } = this.opts.server;
    const client = new IRC.Client({
      nick,
      username: asciiLower(nick).replace(/[^a-z0-9]/g, '') || 'firebell',
      gecos: 'firebell incident bot',
      version: null,
      // Our own loop reconnects: the library's gives up after three tries, and never tries when
      // the first connection fails.
      auto_reconnect: false,
      // No PASS: ngircd without a server password hangs up on any (research notes §7).
      account: sasl ? { account: sasl.account, password: sasl.password } : {},
      sasl_disconnect_on_fail: sasl !== null,
      message_max_length: IRC_LINE_BYTES,
    });
    const connection: Connection = { client, registered: false };
    this.connection = connection;
    const current = () => this.connection === connection;

    client.on('registered', (e) => {
      if (current()) this.onRegistered(connection, e.nick).catch((err: unknown) => this.opts.log.error({ err }, 'irc: rejoining failed'));
    });
    client.on('nick in use', (e) => {
      if (current() && !connection.registered) client.changeNick(this.alternateNick(e.nick));
    });
    client.on('privmsg', (e) => {
      // Nothing a sender types may end the process: a fault is logged and the message dropped.
      if (current() && connection.registered) this.onMessage(connection, e).catch((err: unknown) => this.opts.log.error({ err, nick: e.nick }, 'irc: message not handled'));
    });
    client.on('join', (e) => {
      if (!current() || this.isSelf(connection, e.nick)) return;
      if (e.account) this.accounts.set(asciiLower(e.nick), e.account);
      else if (e.account === false) this.accounts.delete(asciiLower(e.nick));
    });
    client.on('account', (e) => {
      if (e.account) this.accounts.set(asciiLower(e.nick), e.account);
      else this.accounts.delete(asciiLower(e.nick));
    });
    client.on('kick', (e) => {
      if (!current() || !this.isSelf(connection, e.kicked)) return;
      // Kicked from a channel it serves: back in, so the incident keeps its bot.
      this.queue.push(e.channel, `JOIN ${e.channel}`);
    });
    client.on('nick', (e) => {
      if (!current()) return;
      const account = this.accounts.get(asciiLower(e.nick));
      this.accounts.delete(asciiLower(e.nick));
      if (account) this.accounts.set(asciiLower(e.new_nick), account);
      // Our nick was freed: take it back at once.
      if (this.isNick(e.nick, this.opts.server.nick)) this.reclaimNick(connection);
      if (this.isSelf(connection, e.new_nick) && this.isNick(e.new_nick, this.opts.server.nick)) this.clearTimer('reclaimTimer');
    });
    client.on('quit', (e) => {
      if (!current()) return;
      this.accounts.delete(asciiLower(e.nick));
      if (this.isNick(e.nick, this.opts.server.nick)) this.reclaimNick(connection);
    });
    client.on('irc error', (e) => {
      this.opts.log.warn({ error: e.error, channel: e.channel, reason: e.reason }, 'irc server refused a command');
    });
    client.on('socket close', () => {
      if (!current()) return;
      connection.registered = false;
      // Lines still waiting go after the next registration; JOINs are made again by the rejoin.
      this.unsent.push(...this.queue.clear().filter((line) => !line.startsWith('JOIN ')));
    });
    client.on('close', () => {
      if (!current() || !this.running) return;
      this.scheduleReconnect();
    });

    client.connect({
      ...client.options,
      host,
      port,
      tls,
      ...(tls ? { rejectUnauthorized: true } : {}),
    });
  }

  private scheduleReconnect(): void {
    const delays = this.opts.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS;
    const base = delays[Math.min(this.reconnectAttempt, delays.length - 1)] ?? 1_000;
    // Up to a fifth more, so a fleet of bots does not come back in step.
    const wait = Math.round(base * (1 + 0.2 * (this.opts.random ?? Math.random)()));
    this.reconnectAttempt++;
    this.opts.log.warn({ attempt: this.reconnectAttempt, waitMs: wait }, 'irc connection lost; reconnecting');
    this.clearTimer('reconnectTimer');
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.running) return;
      this.connection?.client.removeAllListeners();
      this.connect();
    }, wait);
  }

  /** `nick` from the welcome itself: irc-framework may not have updated `client.user` yet. */
  private async onRegistered(connection: Connection, nick: string): Promise<void> {
    this.reconnectAttempt = 0;
    this.opts.log.info({ nick }, 'irc registered');
    const { channels, topics } = await this.channelsToJoin();
    if (this.connection !== connection || !connection.client.connected) return;
    // Registered for the rest of the adapter once the JOINs lead the queue: nothing is said to a
    // channel before the bot is in it.
    for (const channel of channels) this.queue.push(channel, `JOIN ${channel}`);
    connection.registered = true;
    if (!this.isNick(nick, this.opts.server.nick)) this.startReclaiming(connection);
    for (const [channel, topic] of topics) this.setTopic(channel, topic);
    const unsent = this.unsent.splice(0);
    for (const line of unsent) this.queue.push(targetOf(line), line);
  }

  /**
   * Every channel the bot belongs in: the configured ones, the ops channel, and the channel of
   * every open incident, read from the database (what it remembers is only the fallback while the
   * database is unreachable).
   */
  private async channelsToJoin(): Promise<{ channels: string[]; topics: [string, string][] }> {
    const names = [...this.opts.channels];
    const topics: [string, string][] = [];
    if (this.opts.opsChannel && isValidChannelName(this.opts.opsChannel)) names.push(this.opts.opsChannel);
    try {
      const open = await this.opts.directory.openIncidents(PLATFORM);
      this.incidentChannels.clear();
      for (const { incident, channelId } of open) {
        // Opened while IRC was away and its notice given up on: the channel is made now.
        const channel = channelId ?? (await this.linkChannel(incident, { platform: PLATFORM, id: 'firebell', name: 'firebell' }, `irc-link-INC-${incident.id}`));
        this.incidentChannels.set(asciiLower(channel), incident.id);
        if (!channelId) topics.push([channel, incidentTopic(incident, null)]);
      }
    } catch (err) {
      this.opts.log.warn({ err }, 'irc: open incidents unreadable; rejoining the channels known before');
    }
    names.push(...this.incidentChannels.keys());
    const seen = new Set<string>();
    const channels = names.filter((name) => {
      const key = asciiLower(name);
      if (seen.has(key) || !isValidChannelName(name, this.channelLength())) return false;
      seen.add(key);
      return true;
    });
    return { channels, topics };
  }

  private alternateNick(taken: string): string {
    const nickLength = Number(this.connection?.client.network.supports('NICKLEN')) || 30;
    const base = this.opts.server.nick.slice(0, Math.max(1, nickLength - 4));
    if (this.isNick(taken, this.opts.server.nick)) return `${base}_`;
    if (this.isNick(taken, `${base}_`)) return `${base}__`;
    return `${base}${Math.floor((this.opts.random ?? Math.random)() * 1000)}`;
  }

  private startReclaiming(connection: Connection): void {
    this.clearTimer('reclaimTimer');
    const every = this.opts.reclaimNickMs ?? DEFAULT_RECLAIM_NICK_MS;
    const tick = () => {
      this.reclaimNick(connection);
      if (this.connection === connection && !this.isNick(connection.client.user.nick, this.opts.server.nick)) {
        this.reclaimTimer = this.timers.setTimeout(tick, every);
      } else {
        this.reclaimTimer = null;
      }
    };
    this.reclaimTimer = this.timers.setTimeout(tick, every);
  }

  private reclaimNick(connection: Connection): void {
    if (this.connection !== connection || !connection.registered) return;
    if (this.isNick(connection.client.user.nick, this.opts.server.nick)) return;
    connection.client.changeNick(this.opts.server.nick);
  }

  private async onMessage(connection: Connection, e: IRC.MessageEvent): Promise<void> {
    const { client } = connection;
    if (e.from_server || this.isSelf(connection, e.nick)) return;
    const isPrivate = !client.network.isChannelName(e.target);
    const channelKey = isPrivate ? null : asciiLower(e.target);
    const addressed = parseAddressed(stripFormatting(e.message), {
      botNick: client.user.nick,
      inIncidentChannel: channelKey !== null && this.incidentChannels.has(channelKey),
      isPrivate,
      verbs: this.verbNames,
    });
    if (!addressed) return;
    const verbName = 'unknownVerb' in addressed ? addressed.unknownVerb : addressed.verb;
    const text = 'unknownVerb' in addressed ? '' : addressed.text;
    const replyTarget = isPrivate ? e.nick : e.target;
    const sender: IrcSender = { nick: e.nick, ident: e.ident, hostname: e.hostname, account: e.account ?? this.accounts.get(asciiLower(e.nick)) ?? null };
    const verb = findVerb(this.opts.router.verbs, verbName);
    if (verb?.writes && this.opts.allow !== null && !isAllowed(sender, this.opts.allow)) {
      this.opts.log.info({ nick: e.nick, host: e.hostname, verb: verb.name }, 'irc: refused a sender outside IRC_ALLOW');
      this.say(replyTarget, `${e.nick}: sorry, you are not on this bot's allow-list, so it cannot ${verb.name} for you; help, show, list and warnings work for everyone.`);
      return;
    }
    const actor = senderActor(sender);
    const msgid = e.tags?.msgid;
    const reply = await this.opts.router.dispatch({
      verb: verbName,
      text,
      actor,
      channel: { platform: PLATFORM, id: channelKey ?? `nick:${asciiLower(e.nick)}` },
      // IRC has no event ids: IRCv3 msgid when the server gives one, else one that never repeats.
      eventId: msgid ? `irc-msgid-${msgid}` : `irc-${randomUUID()}`,
      replyTo: { target: replyTarget, nick: e.nick },
      receivedAt: this.opts.clock.now(),
    });
    this.sendReply(replyTarget, e.nick, reply);
  }

  /** Short replies where the command was typed; longer ones to the asker as notices, paced. */
  private sendReply(target: string, asker: string, reply: Reply): void {
    const text = renderIrcReply(reply);
    const lines = text.flatMap((l) => splitForWire(l, this.budget('PRIVMSG', target)));
    if (lines.length <= MAX_CHANNEL_LINES) {
      this.push(target, lines.map((l) => `PRIVMSG ${target} :${l}`));
      return;
    }
    const notices = text.flatMap((l) => splitForWire(l, this.budget('NOTICE', asker)));
    this.push(asker, notices.map((l) => `NOTICE ${asker} :${l}`));
  }

  private say(target: string, text: string): void {
    this.push(target, splitForWire(text, this.budget('PRIVMSG', target)).map((l) => `PRIVMSG ${target} :${l}`));
  }

  /** Lines for the send queue; while disconnected they wait for the next registration. */
  private push(target: string, lines: string[]): void {
    if (lines.length === 0) return;
    if (this.connection?.registered) this.queue.push(target, ...lines);
    else this.unsent.push(...lines);
  }

  private budget(command: 'PRIVMSG' | 'NOTICE', target: string): number {
    const nick = this.connection?.client.user.nick ?? this.opts.server.nick;
    return messageBudget({ nick, command, target });
  }

  private write(line: string): void {
    const connection = this.connection;
    // Every line was built from wire-clean parts; cleaned once more here, the last door to the socket.
    if (connection?.client.connected) connection.client.raw(cleanWireText(line));
    else this.unsent.push(line);
  }

  wants(notice: Notice): boolean {
    return notice.kind === 'incident_opened' || noticeText(notice) !== null;
  }

  async deliver(notice: Notice, key: string): Promise<void> {
    // Not connected: the outbox tries again later, so nothing is said into the void.
    if (!this.connection?.registered) throw new Error('not connected to the IRC server');
    switch (notice.kind) {
      case 'incident_opened':
        return this.openChannel(notice, key);
      case 'incident_updated':
      case 'incident_closed': {
        const channel = await this.opts.directory.channelOf(notice.incident.id, PLATFORM);
        if (channel) {
          const commander = notice.kind === 'incident_updated' ? notice.commander : this.commanders.get(notice.incident.id);
          this.setTopic(channel, incidentTopic(notice.incident, commander));
        }
        break;
      }
      default:
        break;
    }
    await this.sayNotice(notice);
  }

  private async sayNotice(notice: Notice): Promise<void> {
    if (notice.kind === 'incident_updated') this.commanders.set(notice.incident.id, notice.commander);
    const text = noticeText(notice);
    if (!text) return;
    const where =
      text.audience.to === 'incident' ? ((await this.opts.directory.channelOf(text.audience.incidentId, PLATFORM)) ?? this.opts.opsChannel) : this.opts.opsChannel;
    if (!where || !isValidChannelName(where)) return;
    this.say(where, renderIrcNotice(text));
  }

  /**
   * An incident opened (here, on Slack, in the shell): its channel `#inc-<n>-<slug>`, linked
   * through the core, joined (the first to join is op, so the topic can be set under +t), its
   * topic, the opener invited when they are on IRC, and an announcement in the ops channel.
   * Delivered at least once: the link is idempotent on the notice's key, and a second JOIN or
   * TOPIC changes nothing.
   */
  private async openChannel(notice: Extract<Notice, { kind: 'incident_opened' }>, key: string): Promise<void> {
    const { incident, opener } = notice;
    const channel = (await this.opts.directory.channelOf(incident.id, PLATFORM)) ?? (await this.linkChannel(incident, opener, `irc-link-${key}`));
    this.incidentChannels.set(asciiLower(channel), incident.id);
    this.queue.push(channel, `JOIN ${channel}`);
    this.setTopic(channel, incidentTopic(incident, null));
    if (opener.platform === PLATFORM && /^[^\s,:*?!@#&][^\s,*?!@]*$/.test(opener.name)) this.queue.push(channel, `INVITE ${opener.name} ${channel}`);
    const text = noticeText(notice);
    if (text && this.opts.opsChannel && isValidChannelName(this.opts.opsChannel)) this.say(this.opts.opsChannel, `${renderIrcNotice(text)} → ${channel}`);
  }

  /** `#inc-<n>-<slug>`, recorded as the incident's IRC channel through the core (idempotent on `eventId`). */
  private async linkChannel(incident: Incident, actor: Actor, eventId: string): Promise<string> {
    const channel = incidentChannelName(incident.id, incident.title, this.channelLength());
    const linked = await this.opts.router.dispatch({
      verb: 'link',
      text: '',
      payload: { incidentId: incident.id },
      actor,
      channel: { platform: PLATFORM, id: channel },
      eventId,
      receivedAt: this.opts.clock.now(),
    });
    if (linked.tone === 'error') throw new Error(`linking ${channel} to ${incidentRef(incident.id)} failed: ${renderIrcReply(linked).join(' ')}`);
    return channel;
  }

  private setTopic(channel: string, topic: string): void {
    if (!isValidChannelName(channel, this.channelLength())) return;
    const topicLength = Number(this.connection?.client.network.supports('TOPICLEN')) || 390;
    const room = Math.min(topicLength, IRC_LINE_BYTES - Buffer.byteLength(`TOPIC ${channel} :`));
    this.queue.push(channel, `TOPIC ${channel} :${fitBytes(topic, room)}`);
  }

  async deliverLate(late: LateReply): Promise<void> {
    if (late.channel.platform !== PLATFORM) return;
    if (!this.connection?.registered) throw new Error('not connected to the IRC server');
    const target = late.replyTo?.target ?? late.channel.id;
    const asker = late.replyTo?.nick ?? target;
    const command = cleanWireText(`${late.invocation.verb} ${late.invocation.text}`.trim());
    this.say(target, `${asker}: recorded now: ${command}`);
    this.sendReply(target, asker, late.reply);
  }

  private channelLength(): number {
    return channelLengthFrom(this.connection?.client.network.supports('CHANNELLEN'));
  }

  private isSelf(connection: Connection, nick: string): boolean {
    return this.isNick(nick, connection.client.user.nick);
  }

  private isNick(a: string, b: string): boolean {
    return asciiLower(a) === asciiLower(b);
  }

  private clearTimer(which: 'reconnectTimer' | 'reclaimTimer'): void {
    if (this[which] !== null) this.timers.clearTimeout(this[which]);
    this[which] = null;
  }
}

/** The queue's turn key for a line built here: the target after the command. */
function targetOf(line: string): string {
  return line.split(' ')[1] ?? '';
}
