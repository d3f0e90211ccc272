import { App, LogLevel, SocketModeReceiver, webApi, type Logger as BoltLogger, type RespondFn, type SlashCommand } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { incidentRef, MAX_TITLE_LENGTH } from '../../core/model.ts';
import type { Notice } from '../../core/notices.ts';
import type { Actor } from '../../core/people.ts';
import type { HttpRoute } from '../../http/route.ts';
import { splitVerb } from '../command-line.ts';
import type { CommandRouter } from '../router.ts';
import type { ChannelDirectory, ChatAdapter, Invocation, LateReply, Reply } from '../types.ts';
import { findVerb } from '../verb.ts';
import { SLACK, SlackIncidentChannels } from './incident-channels.ts';
import { mentionedUserIds, readableMessageText, slashCommandText, tsToDate } from './message-text.ts';
import { escapeMrkdwn } from './mrkdwn.ts';
import { SlackPeople } from './people.ts';
import { RouteReceiver } from './receiver.ts';
import { renderReply } from './render.ts';
import { slackError } from './slack-error.ts';
import { readStartModal, START_MODAL_ID, startModal } from './start-modal.ts';

const COMMAND = '/incident';

export interface SlackAdapterOptions {
  botToken: string;
  signingSecret: string;
  /** Socket Mode instead of the HTTP route. */
  appToken?: string;
  /** The Web API base (default Slack's). */
  apiUrl?: string;
  /** `#ops` or a channel id: where incidents are announced. */
  opsChannel: string | null;
  timelineEmoji: string;
  router: CommandRouter;
  channels: ChannelDirectory;
  /** The postmortem draft as markdown, rendered from the record, for the upload on close. */
  renderDraft(incidentId: number): Promise<string | null>;
  clock: Clock;
  log: Logger;
  /** The Web API client's retries (429 + Retry-After is honoured within them); tests shorten them. */
  retryConfig?: webApi.RetryOptions;
  /** Real time for Slack's request signatures (Bolt compares timestamps with it). */
  nowMs?: () => number;
}

/** Bolt's logger interface over pino: Bolt's own lines land in firebell's log. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => log.debug({ bolt: true }, msg.map(String).join(' ')),
    info: (...msg: unknown[]) => log.info({ bolt: true }, msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => log.warn({ bolt: true }, msg.map(String).join(' ')),
    error: (...msg: unknown[]) => log.error({ bolt: true }, msg.map(String).join(' ')),
    setLevel: (l: LogLevel) => (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

type SlackMessage = { ts?: string; user?: string; bot_id?: string; text?: string; thread_ts?: string };

/**
 * firebell on Slack, through Bolt: `/incident` commands, the start modal and the timeline emoji come
 * in as invocations for the router; replies go back through the command's response_url; notices
 * from the outbox become incident channels, pinned summaries, topics and announcements.
 */
export class SlackAdapter implements ChatAdapter {
  readonly platform = SLACK;
  readonly name = SLACK;
  readonly app: App;
  readonly client: webApi.WebClient;
  private readonly receiver: RouteReceiver | null;
  private readonly people: SlackPeople;
  private readonly incidentChannelsOut: SlackIncidentChannels;
  private started = false;

  constructor(private readonly opts: SlackAdapterOptions) {
    const clientOptions = {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      ...(opts.retryConfig ? { retryConfig: opts.retryConfig } : {}),
    };
    const logger = boltLogger(opts.log.child({ platform: SLACK }));
    this.receiver = opts.appToken ? null : new RouteReceiver({ signingSecret: opts.signingSecret, log: opts.log, ...(opts.nowMs ? { nowMs: opts.nowMs } : {}) });
    this.client = new webApi.WebClient(opts.botToken, { ...clientOptions, logger });
    this.app = new App({
      // Who the bot is, asked once (at start) rather than per event: no ack waits for auth.test.
      authorize: () => this.identity(),
      logger,
      clientOptions,
      // Bolt hands its Socket Mode client the installer's client options, not the app's: given here,
      // SLACK_API_URL also serves apps.connections.open.
      receiver: this.receiver ?? new SocketModeReceiver({ appToken: opts.appToken!, logger, installerOptions: { clientOptions } }),
    });
    this.people = new SlackPeople(this.client, () => opts.clock.now().getTime());
    this.incidentChannelsOut = new SlackIncidentChannels({
      client: this.client,
      router: opts.router,
      channels: opts.channels,
      opsChannel: opts.opsChannel,
      renderDraft: opts.renderDraft,
      clock: opts.clock,
      log: opts.log,
      onChannel: (channelId, incidentId) => this.incidentChannels.set(channelId, incidentId),
    });
    this.listen();
  }

  /** `POST /slack/events` on firebell's HTTP server; null in Socket Mode. */
  route(): HttpRoute | null {
    return this.receiver?.route() ?? null;
  }

  private known: { botToken: string; botId: string; botUserId: string } | null = null;
  private asking: Promise<void> | null = null;

  /** The bot's token and ids; while Slack cannot say who the bot is, the token alone. */
  private async identity(): Promise<{ botToken: string; botId?: string; botUserId?: string }> {
    if (this.known) return this.known;
    void this.learnIdentity();
    return { botToken: this.opts.botToken };
  }

  private learnIdentity(): Promise<void> {
    this.asking ??= this.client.auth
      .test()
      .then((r) => {
        if (r.bot_id && r.user_id) this.known = { botToken: this.opts.botToken, botId: r.bot_id, botUserId: r.user_id };
      })
      .catch((err: unknown) => this.opts.log.warn({ err, platform: SLACK }, 'auth.test failed; asking again on the next event'))
      .finally(() => (this.asking = null));
    return this.asking;
  }

  async start(): Promise<void> {
    await this.learnIdentity();
    if (this.opts.appToken) await this.app.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    if (this.started && this.opts.appToken) await this.app.stop();
    this.started = false;
  }

  // ---- in: commands, the modal, reactions ----

  private listen(): void {
    this.app.command(COMMAND, async ({ command, ack, respond }) => {
      // Slack shows the user an error if we have not acked within 3 s: ack first, then work.
      await ack();
      await this.onCommand(command, respond).catch((err: unknown) => this.opts.log.error({ err, platform: SLACK }, 'slash command failed'));
    });

    this.app.view(START_MODAL_ID, async ({ ack, view, body }) => {
      const filled = readStartModal(view);
      if (filled.title === '') return ack({ response_action: 'errors', errors: { title: 'Give the incident a title.' } });
      if ([...filled.title].length > MAX_TITLE_LENGTH) return ack({ response_action: 'errors', errors: { title: `At most ${MAX_TITLE_LENGTH} characters.` } });
      await ack();
      await this.onStartModal(filled, body.user.id, body.user.name, view.id).catch((err: unknown) =>
        this.opts.log.error({ err, platform: SLACK }, 'start modal failed'),
      );
    });

    // Bolt acks events before their listeners run; retries of one event carry the same event_id.
    this.app.event('reaction_added', async ({ event, body }) => {
      if (event.item.type !== 'message' || !this.isTimelineEmoji(event.reaction)) return;
      await this.onPinned(event.item.channel, event.item.ts, event.user, String(body.event_id)).catch((err: unknown) =>
        this.opts.log.error({ err, platform: SLACK }, 'reaction capture failed'),
      );
    });
    this.app.event('reaction_removed', async ({ event, body }) => {
      if (event.item.type !== 'message' || !this.isTimelineEmoji(event.reaction)) return;
      await this.onUnpinned(event.item.channel, event.item.ts, event.user, String(body.event_id)).catch((err: unknown) =>
        this.opts.log.error({ err, platform: SLACK }, 'reaction removal failed'),
      );
    });
  }

  /** `pushpin`, also with a skin tone (`thumbsup::skin-tone-2` is how Slack names those). */
  private isTimelineEmoji(reaction: string): boolean {
    return reaction.split('::')[0] === this.opts.timelineEmoji;
  }

  private async actor(userId: string, fallback?: string): Promise<Actor> {
    return { platform: SLACK, id: userId, name: await this.people.nameOf(userId, fallback) };
  }

  private async onCommand(command: SlashCommand, respond: RespondFn): Promise<void> {
    const { verb, text } = splitVerb(command.text) ?? { verb: '', text: '' };
    if (verb === 'start' && text.trim() === '') {
      try {
        await this.client.views.open({ trigger_id: command.trigger_id, view: startModal({ channelId: command.channel_id, responseUrl: command.response_url }) as never });
      } catch (err) {
        this.opts.log.warn({ err, platform: SLACK }, 'could not open the start modal');
        await respond({ response_type: 'ephemeral', text: '✗ could not open the form: type `/incident start <title> [--sev 1-4]` instead' });
      }
      return;
    }
    for (const id of mentionedUserIds(text)) await this.people.nameOf(id);
    const inv: Invocation = {
      verb,
      text: slashCommandText(verb, text, (id) => this.people.cached(id)),
      actor: await this.actor(command.user_id, command.user_name),
      channel: { platform: SLACK, id: command.channel_id },
      // Slack does not retry slash commands; a trigger_id is unique to one.
      eventId: `command:${command.trigger_id}`,
      replyTo: { responseUrl: command.response_url, channelId: command.channel_id, userId: command.user_id },
      receivedAt: this.opts.clock.now(),
    };
    const reply = await this.opts.router.dispatch(inv);
    await respond({ response_type: this.audienceOf(verb, reply), text: renderReply(reply) });
    if (reply.attachment) await this.uploadAttachment(command.channel_id, reply, respond);
  }

  /** What changed something is said in the channel; errors, lookups and help only to the typer. */
  private audienceOf(verb: string, reply: Reply): 'in_channel' | 'ephemeral' {
    if (reply.tone !== 'ok') return 'ephemeral';
    return findVerb(this.opts.router.verbs, verb)?.writes ? 'in_channel' : 'ephemeral';
  }

  private async uploadAttachment(channelId: string, reply: Reply, respond: RespondFn): Promise<void> {
    const a = reply.attachment!;
    try {
      await this.client.files.uploadV2({ channel_id: channelId, filename: a.filename, title: a.filename, content: a.content });
    } catch (err) {
      const code = slackError(err);
      await respond({ response_type: 'ephemeral', text: `✗ could not attach ${escapeMrkdwn(a.filename)} here${code ? ` (${code})` : ''}: invite the bot to this channel, or use the link` });
    }
  }

  private async onStartModal(filled: ReturnType<typeof readStartModal>, userId: string, userName: string, viewId: string): Promise<void> {
    const actor = await this.actor(userId, userName);
    const channelId = filled.origin?.channelId ?? userId;
    const reply = await this.opts.router.dispatch({
      verb: 'start',
      text: '',
      payload: { title: filled.title, ...(filled.severity ? { sev: filled.severity } : {}) },
      actor,
      channel: { platform: SLACK, id: channelId },
      eventId: `view:${viewId}`,
      ...(filled.origin ? { replyTo: { responseUrl: filled.origin.responseUrl, channelId, userId } } : {}),
      receivedAt: this.opts.clock.now(),
    });
    if (reply.opened !== undefined && filled.description) {
      // "Description:" first, so a description that starts with a time is not read as one.
      await this.opts.router.dispatch({
        verb: 'log',
        text: `${incidentRef(reply.opened)} Description: ${filled.description}`,
        actor,
        channel: { platform: SLACK, id: channelId },
        eventId: `view:${viewId}:description`,
        receivedAt: this.opts.clock.now(),
      });
    }
    if (filled.origin) await this.postToResponseUrl(filled.origin.responseUrl, reply.tone === 'ok' ? 'in_channel' : 'ephemeral', renderReply(reply));
    else if (reply.tone !== 'ok') await this.client.chat.postMessage({ channel: userId, text: renderReply(reply) });
  }

  /** Incident channels as last read from the database: reactions are still recognised while it is down. */
  private readonly incidentChannels = new Map<string, number>();

  /** The open incident whose Slack channel this is, if any. */
  private async incidentOfChannel(channelId: string): Promise<number | null> {
    let open: Awaited<ReturnType<ChannelDirectory['openIncidents']>>;
    try {
      open = await this.opts.channels.openIncidents(SLACK);
    } catch (err) {
      // The database is down: the journal takes the command, so the channels known so far decide.
      this.opts.log.warn({ err, platform: SLACK }, 'incident channels unreadable; using the ones last read');
      return this.incidentChannels.get(channelId) ?? null;
    }
    this.incidentChannels.clear();
    for (const o of open) if (o.channelId) this.incidentChannels.set(o.channelId, o.incident.id);
    return this.incidentChannels.get(channelId) ?? null;
  }

  /** The message a reaction was put on, thread replies included. */
  private async findMessage(channel: string, ts: string): Promise<SlackMessage | null> {
    const history = await this.client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
    const top = (history.messages as SlackMessage[] | undefined)?.find((m) => m.ts === ts);
    if (top) return top;
    const thread = await this.client.conversations.replies({ channel, ts });
    return (thread.messages as SlackMessage[] | undefined)?.find((m) => m.ts === ts) ?? null;
  }

  private async onPinned(channelId: string, ts: string, reactorId: string, eventId: string): Promise<void> {
    if ((await this.incidentOfChannel(channelId)) === null) return;
    const message = await this.findMessage(channelId, ts);
    const at = tsToDate(ts);
    if (!message || !at) return;
    const authorId = message.user ?? message.bot_id ?? 'unknown';
    const raw = message.text ?? '';
    for (const id of mentionedUserIds(raw)) await this.people.nameOf(id);
    const text = readableMessageText(raw, (id) => this.people.cached(id)).trim();
    const reply = await this.opts.router.dispatch({
      verb: 'log',
      text: '',
      payload: { text: text === '' ? '(a message with no text)' : text },
      actor: await this.actor(reactorId),
      attribution: { author: await this.actor(authorId), at },
      channel: { platform: SLACK, id: channelId },
      eventId,
      // Two people pinning one message record it once.
      idempotencyKey: pinKey(channelId, ts),
      replyTo: { channelId, userId: reactorId },
      receivedAt: this.opts.clock.now(),
    });
    await this.tellReactor(channelId, reactorId, reply);
  }

  private async onUnpinned(channelId: string, ts: string, reactorId: string, eventId: string): Promise<void> {
    if ((await this.incidentOfChannel(channelId)) === null) return;
    const reply = await this.opts.router.dispatch({
      verb: 'unpin',
      text: '',
      payload: { key: pinKey(channelId, ts) },
      actor: await this.actor(reactorId),
      channel: { platform: SLACK, id: channelId },
      eventId,
      replyTo: { channelId, userId: reactorId },
      receivedAt: this.opts.clock.now(),
    });
    // Someone else's pin still on it, or it was taken off by hand: nothing to say.
    if (reply.tone !== 'error') await this.tellReactor(channelId, reactorId, reply);
  }

  private async tellReactor(channel: string, user: string, reply: Reply): Promise<void> {
    try {
      await this.client.chat.postEphemeral({ channel, user, text: renderReply(reply) });
    } catch (err) {
      this.opts.log.warn({ err, platform: SLACK }, 'could not tell the reactor');
    }
  }

  private async postToResponseUrl(url: string, type: 'in_channel' | 'ephemeral', text: string): Promise<void> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: type, text }) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  }

  // ---- out: notices and late replies ----

  wants(notice: Notice): boolean {
    return notice.kind !== 'postmortem_outdated';
  }

  deliver(notice: Notice): Promise<void> {
    return this.incidentChannelsOut.deliver(notice);
  }


  /** The real reply to a command answered "queued" while the database was down. */
  async deliverLate(late: LateReply): Promise<void> {
    if (late.channel.platform !== SLACK) return;
    const { responseUrl, userId } = late.replyTo ?? {};
    const command = `${late.invocation.verb} ${late.invocation.text}`.trim();
    // A reaction was not typed: its reply needs no echo of a command.
    const text = responseUrl ? `_recorded now:_ \`/incident ${escapeMrkdwn(command.replace(/`/g, "'"))}\`\n${renderReply(late.reply)}` : renderReply(late.reply);
    if (responseUrl) {
      try {
        return await this.postToResponseUrl(responseUrl, late.reply.tone === 'ok' ? 'in_channel' : 'ephemeral', text);
      } catch (err) {
        // A response_url lives 30 minutes: after that the reply goes to the channel itself.
        this.opts.log.info({ err, platform: SLACK }, 'response_url refused a late reply; posting it in the channel');
      }
    }
    if (userId && !responseUrl) {
      await this.client.chat.postEphemeral({ channel: late.channel.id, user: userId, text });
      return;
    }
    await this.client.chat.postMessage({ channel: late.channel.id, text });
  }
}

function pinKey(channelId: string, ts: string): string {
  return `pin:${channelId}:${ts}`;
}
