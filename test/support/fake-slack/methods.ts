/**
 * What each Web API method does to the workspace once its arguments have passed the rules, and the
 * payload it answers with. Errors here depend on the workspace's state (`name_taken`,
 * `already_in_channel`, `message_not_found`, …); errors in the arguments themselves were caught
 * by method-rules.ts, except the few that the rules alone cannot see, which say `invalid: true`.
 */
import { checkChannelName, ID_PATTERNS } from './method-rules.ts';
import type { FakeChannel, FakeMessage, Workspace } from './workspace.ts';

export type MethodResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; error: string; invalid?: boolean; messages?: string[] };

export interface OpenedView {
  id: string;
  triggerId: string;
  view: Record<string, unknown>;
}

export interface MethodContext {
  ws: Workspace;
  /** The fake's own base URL, for upload URLs. */
  baseUrl: string;
  /** When each trigger_id the fake handed out was made; see FakeSlack.newTriggerId. */
  triggersIssuedAt: Map<string, number>;
  triggersUsed: Set<string>;
  views: OpenedView[];
}

type Args = Record<string, unknown>;
type Method = (args: Args, ctx: MethodContext) => MethodResult;

const ok = (body: Record<string, unknown> = {}): MethodResult => ({ ok: true, body });
const err = (error: string): MethodResult => ({ ok: false, error });
const invalid = (error: string, message?: string): MethodResult => ({ ok: false, error, invalid: true, ...(message ? { messages: [`[ERROR] ${message}`] } : {}) });

// trigger_ids expire after 3 s (docs.slack.dev/interactivity/handling-user-interaction).
const TRIGGER_LIFETIME_MS = 3_000;

function channelFor(ctx: MethodContext, id: unknown): FakeChannel | undefined {
  if (typeof id !== 'string') return undefined;
  return ID_PATTERNS.channel.test(id) ? ctx.ws.channels.get(id) : ctx.ws.channelByName(id);
}

/** A channel the bot must be in and that must not be archived. */
function memberChannel(ctx: MethodContext, id: unknown): FakeChannel | MethodResult {
  const c = channelFor(ctx, id);
  if (!c) return err('channel_not_found');
  if (c.isArchived) return err('is_archived');
  if (!c.members.has(ctx.ws.bot.userId)) return err('not_in_channel');
  return c;
}

const isResult = (v: FakeChannel | MethodResult): v is MethodResult => 'ok' in v;

function topicLike(field: 'topic' | 'purpose'): Method {
  return (args, ctx) => {
    const c = memberChannel(ctx, args.channel);
    if (isResult(c)) return c;
    const value = args[field] as string;
    c[field] = { value, creator: ctx.ws.bot.userId, last_set: Math.floor(ctx.ws.now().getTime() / 1000) };
    // Slack announces the change in the channel as a message of its own.
    ctx.ws.addMessage({ channel: c.id, user: ctx.ws.bot.userId, subtype: `channel_${field}`, text: `set the channel ${field === 'topic' ? 'topic' : 'description'}: ${value}` });
    return ok({ channel: ctx.ws.channelJson(c) });
  };
}

/** conversations.history and .replies: `latest`/`oldest` bound the window, `inclusive` keeps the ends. */
function inWindow(m: FakeMessage, args: Args): boolean {
  const inclusive = args.inclusive === true;
  if (typeof args.latest === 'string' && (inclusive ? m.ts > args.latest : m.ts >= args.latest)) return false;
  if (typeof args.oldest === 'string' && (inclusive ? m.ts < args.oldest : m.ts <= args.oldest)) return false;
  return true;
}

function page(messages: FakeMessage[], args: Args, limitDefault: number, ctx: MethodContext): MethodResult {
  const limit = typeof args.limit === 'number' && args.limit > 0 ? Math.min(args.limit, 999) : limitDefault;
  return ok({
    messages: messages.slice(0, limit).map((m) => ctx.ws.messageJson(m)),
    has_more: messages.length > limit,
    pin_count: 0,
    response_metadata: { next_cursor: '' },
  });
}

function postAs(args: Args, ctx: MethodContext, c: FakeChannel): FakeMessage {
  // "Avoid using a reply's ts value; use its parent instead": a reply's ts still lands in its thread.
  const parent = typeof args.thread_ts === 'string' ? ctx.ws.findMessage(c.id, args.thread_ts) : undefined;
  return ctx.ws.addMessage({
    channel: c.id,
    user: ctx.ws.bot.userId,
    botId: ctx.ws.bot.botId,
    text: typeof args.text === 'string' ? args.text : '',
    ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
    ...(parent ? { threadTs: parent.threadTs ?? parent.ts } : {}),
  });
}

export const METHODS: Record<string, Method> = {
  'auth.test': (_args, { ws }) =>
    ok({
      url: `https://${ws.team.domain}.slack.com/`,
      team: ws.team.name,
      user: ws.bot.name,
      team_id: ws.team.id,
      user_id: ws.bot.userId,
      bot_id: ws.bot.botId,
      is_enterprise_install: false,
    }),

  'conversations.create': (args, ctx) => {
    const name = checkChannelName(args.name);
    if (!name.ok) return invalid(name.error);
    // Archived channels keep their names, so their names are taken too.
    if (ctx.ws.channelByName(args.name as string)) return err('name_taken');
    const c = ctx.ws.addChannel({ name: args.name as string, isPrivate: args.is_private === true });
    return ok({ channel: ctx.ws.channelJson(c) });
  },

  'conversations.invite': (args, ctx) => {
    const c = memberChannel(ctx, args.channel);
    if (isResult(c)) return c;
    const users = args.users as string[];
    if (users.includes(ctx.ws.bot.userId)) return invalid('cant_invite_self');
    const known = users.filter((u) => ctx.ws.users.has(u));
    if (known.length < users.length && args.force !== true) return err('user_not_found');
    const fresh = known.filter((u) => !c.members.has(u));
    if (fresh.length === 0) return err('already_in_channel');
    for (const u of fresh) {
      c.members.add(u);
      ctx.ws.addMessage({ channel: c.id, user: u, subtype: 'channel_join', text: `<@${u}> has joined the channel` });
    }
    return ok({ channel: ctx.ws.channelJson(c) });
  },

  'conversations.setTopic': topicLike('topic'),
  'conversations.setPurpose': topicLike('purpose'),

  'conversations.join': (args, ctx) => {
    const c = channelFor(ctx, args.channel);
    if (!c) return err('channel_not_found');
    if (c.isArchived) return err('is_archived');
    const already = c.members.has(ctx.ws.bot.userId);
    c.members.add(ctx.ws.bot.userId);
    return ok({ channel: ctx.ws.channelJson(c), ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}) });
  },

  'conversations.archive': (args, ctx) => {
    const c = channelFor(ctx, args.channel);
    if (!c) return err('channel_not_found');
    if (c.isArchived) return err('already_archived');
    if (c.isGeneral) return err('cant_archive_general');
    if (!c.members.has(ctx.ws.bot.userId)) return err('not_in_channel');
    c.isArchived = true;
    return ok();
  },

  'conversations.info': (args, ctx) => {
    const c = channelFor(ctx, args.channel);
    return c ? ok({ channel: ctx.ws.channelJson(c) }) : err('channel_not_found');
  },

  'conversations.history': (args, ctx) => {
    const c = channelFor(ctx, args.channel);
    if (!c) return err('channel_not_found');
    // A bot token reads only the history of the channels it is in.
    if (!c.members.has(ctx.ws.bot.userId)) return err('not_in_channel');
    const top = ctx.ws.messagesOf(c.id).filter((m) => (m.threadTs === undefined || m.threadTs === m.ts) && inWindow(m, args));
    return page(top.reverse(), args, 100, ctx);
  },

  'conversations.replies': (args, ctx) => {
    const c = channelFor(ctx, args.channel);
    if (!c) return err('channel_not_found');
    if (!c.members.has(ctx.ws.bot.userId)) return err('not_in_channel');
    const m = ctx.ws.findMessage(c.id, args.ts as string);
    if (!m) return err('thread_not_found');
    const root = m.threadTs ?? m.ts;
    const thread = ctx.ws.messagesOf(c.id).filter((x) => (x.ts === root || x.threadTs === root) && inWindow(x, args));
    return page(thread, args, 1000, ctx);
  },

  'chat.postMessage': (args, ctx) => {
    const c = channelFor(ctx, args.channel);
    if (!c) return err('channel_not_found');
    if (c.isArchived) return err('is_archived');
    // With chat:write.public (in firebell's manifest) a bot may post in public channels it is not in.
    if (c.isPrivate && !c.members.has(ctx.ws.bot.userId)) return err('not_in_channel');
    // Not on the method's error list; the fake is strict so that a reply to nothing shows up in a test.
    if (typeof args.thread_ts === 'string' && !ctx.ws.findMessage(c.id, args.thread_ts)) return err('thread_not_found');
    const m = postAs(args, ctx, c);
    return ok({ channel: c.id, ts: m.ts, message: ctx.ws.messageJson(m) });
  },

  'chat.update': (args, ctx) => {
    const c = channelFor(ctx, args.channel);
    if (!c) return err('channel_not_found');
    const m = ctx.ws.findMessage(c.id, args.ts as string);
    if (!m) return err('message_not_found');
    if (m.user !== ctx.ws.bot.userId || m.subtype) return err('cant_update_message');
    if (typeof args.text === 'string') m.text = args.text;
    if (Array.isArray(args.blocks)) m.blocks = args.blocks;
    else if (typeof args.text === 'string') delete m.blocks;
    m.edited = { user: ctx.ws.bot.userId, ts: `${Math.floor(ctx.ws.now().getTime() / 1000)}.000000` };
    return ok({ channel: c.id, ts: m.ts, text: m.text, message: ctx.ws.messageJson(m) });
  },

  'chat.postEphemeral': (args, ctx) => {
    const c = channelFor(ctx, args.channel);
    if (!c) return err('channel_not_found');
    if (c.isArchived) return err('is_archived');
    if (!c.members.has(args.user as string)) return err('user_not_in_channel');
    const ts = `${Math.floor(ctx.ws.now().getTime() / 1000)}.${String(ctx.ws.now().getMilliseconds() * 1000).padStart(6, '0')}`;
    return ok({ message_ts: ts });
  },

  'pins.add': (args, ctx) => {
    const c = memberChannel(ctx, args.channel);
    if (isResult(c)) return c;
    const ts = args.timestamp as string;
    if (!ctx.ws.findMessage(c.id, ts)) return err('message_not_found');
    if (c.pins.includes(ts)) return err('already_pinned');
    if (c.pins.length >= 100) return err('too_many_pins');
    c.pins.push(ts);
    return ok();
  },

  'bookmarks.add': (args, ctx) => {
    if (args.type !== 'link') return invalid('invalid_bookmark_type');
    if (typeof args.link !== 'string' || !/^https?:\/\/\S+$/.test(args.link)) return invalid('invalid_link');
    const c = channelFor(ctx, args.channel_id);
    if (!c) return err('channel_not_found');
    if (c.bookmarks.length >= 100) return err('too_many_bookmarks');
    const bookmark = {
      id: ctx.ws.newBookmarkId(),
      channel_id: c.id,
      title: args.title as string,
      link: args.link,
      emoji: typeof args.emoji === 'string' ? args.emoji : null,
      type: 'link' as const,
      date_created: Math.floor(ctx.ws.now().getTime() / 1000),
    };
    c.bookmarks.push(bookmark);
    return ok({
      bookmark: { ...bookmark, icon_url: null, entity_id: null, date_updated: bookmark.date_created, rank: 'U', last_updated_by_user_id: ctx.ws.bot.userId, last_updated_by_team_id: ctx.ws.team.id, shortcut_id: null, app_id: ctx.ws.bot.appId },
    });
  },

  'users.info': (args, ctx) => {
    const u = ctx.ws.users.get(args.user as string);
    return u ? ok({ user: ctx.ws.userJson(u) }) : err('user_not_found');
  },

  'views.open': (args, ctx) => {
    const trigger = (args.trigger_id ?? args.interactivity_pointer) as string;
    if (!ID_PATTERNS.triggerId.test(trigger)) return invalid('invalid_trigger_id');
    if (ctx.triggersUsed.has(trigger)) return err('exchanged_trigger_id');
    const issuedAt = ctx.triggersIssuedAt.get(trigger);
    if (issuedAt !== undefined && ctx.ws.now().getTime() - issuedAt > TRIGGER_LIFETIME_MS) return err('expired_trigger_id');
    ctx.triggersUsed.add(trigger);
    const view = args.view as Record<string, unknown>;
    const id = ctx.ws.newViewId();
    ctx.views.push({ id, triggerId: trigger, view });
    return ok({
      view: {
        id,
        team_id: ctx.ws.team.id,
        type: view.type,
        title: view.title,
        submit: view.submit ?? null,
        close: view.close ?? null,
        blocks: view.blocks,
        private_metadata: view.private_metadata ?? '',
        callback_id: view.callback_id ?? '',
        external_id: view.external_id ?? '',
        state: { values: {} },
        hash: `${Math.floor(ctx.ws.now().getTime() / 1000)}.${id.toLowerCase()}`,
        clear_on_close: view.clear_on_close === true,
        notify_on_close: view.notify_on_close === true,
        root_view_id: id,
        previous_view_id: null,
        app_id: ctx.ws.bot.appId,
        app_installed_team_id: ctx.ws.team.id,
        bot_id: ctx.ws.bot.botId,
      },
    });
  },

  'files.getUploadURLExternal': (args, ctx) => {
    // "missing_argument: Typically only occurs when the `length` provided is 0."
    if ((args.length as number) <= 0) return invalid('missing_argument');
    const id = ctx.ws.newFileId();
    ctx.ws.files.set(id, {
      id,
      filename: args.filename as string,
      length: args.length as number,
      title: args.filename as string,
      content: null,
      createdAt: Math.floor(ctx.ws.now().getTime() / 1000),
      channels: [],
      completed: false,
    });
    return ok({ upload_url: `${ctx.baseUrl}/upload/v1/${id}`, file_id: id });
  },

  'files.completeUploadExternal': (args, ctx) => {
    const entries = args.files as unknown[];
    if (entries.length === 0 || !entries.every((f) => typeof f === 'object' && f !== null && typeof (f as Args).id === 'string')) {
      return invalid('invalid_arguments', 'files must be an array of objects with an id [json-pointer:/files]');
    }
    // The SDK refuses `channels` as a comma list; one channel is what firebell sends.
    const channelId = args.channel_id ?? args.channels;
    let channel: FakeChannel | undefined;
    if (channelId !== undefined) {
      const c = memberChannel(ctx, channelId);
      if (isResult(c)) return c;
      channel = c;
    }
    const files = entries.map((e) => ctx.ws.files.get((e as Args).id as string));
    if (files.some((f) => !f || f.content === null || f.completed)) return err('file_not_found');
    for (const [i, f] of files.entries()) {
      const title = (entries[i] as Args).title;
      if (typeof title === 'string') f!.title = title;
      f!.completed = true;
      if (channel) f!.channels.push(channel.id);
    }
    if (channel) {
      ctx.ws.addMessage({
        channel: channel.id,
        user: ctx.ws.bot.userId,
        botId: ctx.ws.bot.botId,
        subtype: 'file_share',
        text: typeof args.initial_comment === 'string' ? args.initial_comment : '',
        files: files.map((f) => f!.id),
        ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
      });
    }
    return ok({ files: files.map((f) => ctx.ws.fileJson(f!)) });
  },
};
