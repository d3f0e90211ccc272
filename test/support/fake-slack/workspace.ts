/**
 * The state of a tiny Slack workspace: channels, members, messages, pins, topics, users, files.
 * Shapes follow what the Web API returns (slackapi/slack-api-specs `definitions`, the sdk's
 * response types), so a payload read back from the fake looks like one from Slack.
 */

export interface FakeUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  tz: string;
  isBot: boolean;
  deleted: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  created: number;
  creator: string;
  isPrivate: boolean;
  isArchived: boolean;
  isGeneral: boolean;
  members: Set<string>;
  topic: { value: string; creator: string; last_set: number };
  purpose: { value: string; creator: string; last_set: number };
  pins: string[];
  bookmarks: FakeBookmark[];
}

export interface FakeMessage {
  channel: string;
  ts: string;
  user: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  botId?: string;
  subtype?: string;
  files?: string[];
  edited?: { user: string; ts: string };
}

export interface FakeBookmark {
  id: string;
  channel_id: string;
  title: string;
  link: string;
  emoji: string | null;
  type: 'link';
  date_created: number;
}

export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  title: string;
  content: Buffer | null;
  createdAt: number;
  channels: string[];
  completed: boolean;
}

/** An ID in Slack's alphabet: prefix + upper-case base 36, at least 10 characters long. */
function idMaker(prefix: string): () => string {
  let n = 0x51ac0;
  return () => prefix + (n++).toString(36).toUpperCase().padStart(10, '0');
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export class Workspace {
  readonly team = { id: 'T0FIREBELL', domain: 'firebell-test', name: 'firebell test' };
  readonly bot = { userId: 'U0FIREBELL', botId: 'B0FIREBELL', appId: 'A0FIREBELL', name: 'firebell' };
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage[]>();
  readonly files = new Map<string, FakeFile>();
  readonly newChannelId = idMaker('C');
  readonly newFileId = idMaker('F');
  readonly newViewId = idMaker('V');
  readonly newBookmarkId = idMaker('Bk');
  private readonly newUserId = idMaker('U');

  constructor(readonly now: () => Date) {
    this.addUser({ id: this.bot.userId, name: this.bot.name, isBot: true });
  }

  addUser(u: Partial<FakeUser> & { name: string }): FakeUser {
    const user: FakeUser = {
      id: u.id ?? this.newUserId(),
      name: u.name,
      realName: u.realName ?? u.name,
      displayName: u.displayName ?? u.name,
      tz: u.tz ?? 'Etc/UTC',
      isBot: u.isBot ?? false,
      deleted: u.deleted ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  addChannel(c: { name: string; id?: string; creator?: string; members?: string[]; isPrivate?: boolean; isGeneral?: boolean }): FakeChannel {
    const creator = c.creator ?? this.bot.userId;
    const channel: FakeChannel = {
      id: c.id ?? this.newChannelId(),
      name: c.name,
      created: seconds(this.now()),
      creator,
      isPrivate: c.isPrivate ?? false,
      isArchived: false,
      isGeneral: c.isGeneral ?? false,
      members: new Set(c.members ?? [creator]),
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      pins: [],
      bookmarks: [],
    };
    this.channels.set(channel.id, channel);
    this.messages.set(channel.id, []);
    return channel;
  }

  channelByName(name: string): FakeChannel | undefined {
    const bare = name.replace(/^#/, '');
    return [...this.channels.values()].find((c) => c.name === bare);
  }

  /** A ts unique in its channel: the time to the microsecond, moved on by 1 µs when taken. */
  private newTs(channel: string, at: Date): string {
    const taken = new Set((this.messages.get(channel) ?? []).map((m) => m.ts));
    let micros = BigInt(at.getTime()) * 1000n;
    const format = () => `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
    while (taken.has(format())) micros += 1n;
    return format();
  }

  addMessage(m: Omit<FakeMessage, 'ts'> & { at?: Date }): FakeMessage {
    const { at, ...rest } = m;
    const message: FakeMessage = { ...rest, ts: this.newTs(m.channel, at ?? this.now()) };
    this.messages.get(m.channel)!.push(message);
    return message;
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  /** Oldest first, like conversations.replies; history reverses it. */
  messagesOf(channel: string): FakeMessage[] {
    return [...(this.messages.get(channel) ?? [])].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }

  channelJson(c: FakeChannel, forUser = this.bot.userId): Record<string, unknown> {
    return {
      id: c.id,
      name: c.name,
      is_channel: !c.isPrivate,
      is_group: c.isPrivate,
      is_im: false,
      is_mpim: false,
      is_private: c.isPrivate,
      created: c.created,
      is_archived: c.isArchived,
      is_general: c.isGeneral,
      unlinked: 0,
      name_normalized: c.name,
      is_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: this.team.id,
      updated: c.created * 1000,
      parent_conversation: null,
      creator: c.creator,
      is_ext_shared: false,
      shared_team_ids: [this.team.id],
      pending_connected_team_ids: [],
      is_member: c.members.has(forUser),
      topic: c.topic,
      purpose: c.purpose,
      previous_names: [],
      num_members: c.members.size,
    };
  }

  messageJson(m: FakeMessage): Record<string, unknown> {
    const replies = m.threadTs === undefined ? this.messagesOf(m.channel).filter((r) => r.threadTs === m.ts && r.ts !== m.ts) : [];
    return {
      type: 'message',
      ...(m.subtype ? { subtype: m.subtype } : {}),
      user: m.user,
      text: m.text,
      ts: m.ts,
      team: this.team.id,
      ...(m.botId ? { bot_id: m.botId, app_id: this.bot.appId } : {}),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.files ? { files: m.files.map((id) => this.fileJson(this.files.get(id)!)) } : {}),
      ...(m.edited ? { edited: m.edited } : {}),
      ...(m.threadTs !== undefined ? { thread_ts: m.threadTs, parent_user_id: this.findMessage(m.channel, m.threadTs)?.user } : {}),
      ...(replies.length > 0
        ? { thread_ts: m.ts, reply_count: replies.length, reply_users: [...new Set(replies.map((r) => r.user))], latest_reply: replies.at(-1)!.ts }
        : {}),
    };
  }

  userJson(u: FakeUser): Record<string, unknown> {
    return {
      id: u.id,
      team_id: this.team.id,
      name: u.name,
      deleted: u.deleted,
      real_name: u.realName,
      tz: u.tz,
      tz_label: u.tz,
      tz_offset: 0,
      is_admin: false,
      is_owner: false,
      is_bot: u.isBot,
      is_app_user: false,
      updated: seconds(this.now()),
      profile: {
        real_name: u.realName,
        real_name_normalized: u.realName,
        display_name: u.displayName,
        display_name_normalized: u.displayName,
        team: this.team.id,
        ...(u.isBot ? { bot_id: this.bot.botId } : {}),
      },
    };
  }

  fileJson(f: FakeFile): Record<string, unknown> {
    const base = `https://files.slack.com/files-pri/${this.team.id}-${f.id}/${encodeURIComponent(f.filename)}`;
    return {
      id: f.id,
      created: f.createdAt,
      timestamp: f.createdAt,
      name: f.filename,
      title: f.title,
      mimetype: f.filename.endsWith('.md') ? 'text/markdown' : 'text/plain',
      filetype: f.filename.split('.').pop() ?? 'text',
      user: this.bot.userId,
      user_team: this.team.id,
      mode: 'hosted',
      is_external: false,
      is_public: f.channels.length > 0,
      size: f.length,
      url_private: base,
      url_private_download: `${base}?download=1`,
      permalink: `https://${this.team.domain}.slack.com/files/${this.bot.userId}/${f.id}/${encodeURIComponent(f.filename)}`,
      channels: f.channels,
      groups: [],
      ims: [],
    };
  }
}
