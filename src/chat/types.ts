import type { Actor } from '../core/model.ts';
import type { Notice } from '../core/notices.ts';

export interface ChannelRef {
  platform: string;
  /** The platform's own id: a Slack channel id, an IRC channel name, `shell:INC-3`. */
  id: string;
}

/** One command as typed, on any platform, before its arguments are parsed. */
export interface Invocation {
  verb: string;
  /** Everything after the verb, as typed. */
  text: string;
  actor: Actor;
  channel: ChannelRef;
  /** The platform's id for this event: a retried delivery carries the same one. */
  eventId: string;
  receivedAt: Date;
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
}

/** A reply that could not be given at once (the database was down) and is delivered later. */
export interface LateReply {
  channel: ChannelRef;
  invocation: Pick<Invocation, 'verb' | 'text' | 'actor'>;
  reply: Reply;
}

export interface ChatAdapter {
  readonly platform: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Says what core announced, rendered the adapter's way; resolves once it is said. */
  deliver(notice: Notice): Promise<void>;
  deliverLate(late: LateReply): Promise<void>;
}

/** How an adapter remembers which of its channels belongs to which incident (kept by core). */
export interface ChannelDirectory {
  link(channel: ChannelRef, incidentId: number): Promise<void>;
}
