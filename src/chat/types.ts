import type { Incident } from '../core/model.ts';
import type { Notice } from '../core/notices.ts';
import type { Actor } from '../core/people.ts';

export interface ChannelRef {
  platform: string;
  /** The platform's own id: a Slack channel id, an IRC channel name, `shell:INC-3`. */
  id: string;
}

/** Where an adapter wants a late reply to go (a Slack response_url and thread, an IRC channel and nick). */
export type ReplyAddress = Record<string, string>;

/**
 * One command, on any platform, before its arguments are parsed: typed (`text`), or built by an
 * adapter from something that was not typed as a command (`payload`: a pinned message, a webhook).
 */
export interface Invocation {
  verb: string;
  /** Everything after the verb, as typed. */
  text: string;
  /** Structured arguments instead of text, checked by the verb's payload schema. */
  payload?: unknown;
  actor: Actor;
  /** The command records someone else's words: who wrote them, and when (a pinned message). */
  attribution?: { author: Actor; at: Date };
  channel: ChannelRef;
  /** The platform's id for this delivery: a retried delivery carries the same one. */
  eventId: string;
  /**
   * What makes the command unique when it is not the delivery: the same message pinned by two
   * reactions (Slack: channel + message ts) is one entry. Defaults to eventId.
   */
  idempotencyKey?: string;
  /** Where the real reply goes if it comes late (the command was queued). */
  replyTo?: ReplyAddress;
  /**
   * What the command keeps its order with, when not its channel: a hook's alerts need order only
   * per fingerprint, so a large group is recorded on several connections at once.
   */
  orderKey?: string;
  receivedAt: Date;
}

/** The key a command is recorded under, once: its idempotency key, else its delivery's id. */
export function commandKey(inv: Pick<Invocation, 'eventId' | 'idempotencyKey'>): string {
  return inv.idempotencyKey ?? inv.eventId;
}

/** A run of text; user text is always a plain span, so each renderer escapes it for its medium. */
export interface Span {
  text: string;
  style?: 'strong' | 'code';
}
export type Line = Span[];

export interface Attachment {
  filename: string;
  mediaType: string;
  content: string;
}

/**
 * A platform-neutral answer. `queued` means the command is safe in the local journal and will be
 * recorded when the database returns. Replies are stored with the event, so they stay plain data.
 */
export interface Reply {
  tone: 'ok' | 'error' | 'queued';
  lines: Line[];
  attachment?: Attachment;
  /** The incident the command opened: the shell moves into it. */
  opened?: number;
}

/** A reply that could not be given at once (the database was down) and is delivered later. */
export interface LateReply {
  channel: ChannelRef;
  invocation: Pick<Invocation, 'verb' | 'text' | 'actor'>;
  replyTo?: ReplyAddress;
  reply: Reply;
}

/**
 * Something that is told about notices after the fact, through the chat outbox: each chat adapter,
 * and the postmortem draft writer. Delivery is at least once: `key` is the same on every attempt,
 * so a consumer can recognise a notice it has already acted on.
 */
export interface NoticeConsumer {
  /** A chat adapter's platform, or the name of another consumer. */
  readonly name: string;
  /** Whether this consumer acts on the notice at all; others are never kept for it. */
  wants(notice: Notice): boolean;
  /** Resolves once it is said (or done); a rejection is retried later, with backoff. */
  deliver(notice: Notice, key: string): Promise<void>;
  /**
   * False while this instance cannot deliver (another instance is on the platform): its notices
   * stay in the outbox for the one that can. Absent means always ready.
   */
  ready?(): boolean;
}

export interface ChatAdapter extends NoticeConsumer {
  readonly platform: string;
  start(): Promise<void>;
  /**
   * A stop began: read no more commands (the router refuses any that still arrive, with one
   * line). Notices keep coming until stop(), so the last ones still reach the chat.
   */
  stopTaking?(): void;
  stop(): Promise<void>;
  /** The real reply to a command that was answered "queued", sent to the address it chose. */
  deliverLate(late: LateReply, key: string): Promise<void>;
}

/** What an adapter may ask about incidents and their channels; it links a channel by dispatching `link`. */
export interface ChannelDirectory {
  channelOf(incidentId: number, platform: string): Promise<string | null>;
  /** The channel and the message there the adapter keeps up to date (Slack's pinned summary). */
  linkOf(incidentId: number, platform: string): Promise<{ channelId: string; anchor: string | null } | null>;
  /** Every open incident with its channel on the platform, or null where it has none yet. */
  openIncidents(platform: string): Promise<{ incident: Incident; channelId: string | null }[]>;
}
