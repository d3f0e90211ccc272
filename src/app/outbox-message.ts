import { z } from 'zod';
import { noticeIncidentId, noticeSchema, type Notice } from '../core/notices.ts';
import type { ChatAdapter, LateReply, NoticeConsumer } from '../chat/types.ts';
import type { NewNotice } from '../store/store.ts';

/**
 * What the chat outbox keeps: a notice for every consumer that wants it, or the late reply to a
 * command answered "queued", for the platform it came from.
 */
export type OutboxMessage = { notice: Notice } | { lateReply: LateReply };

const spanSchema = z.object({ text: z.string(), style: z.enum(['strong', 'code']).optional() });
const lateReplySchema = z.object({
  channel: z.object({ platform: z.string(), id: z.string() }),
  invocation: z.object({ verb: z.string(), text: z.string(), actor: z.object({ platform: z.string(), id: z.string(), name: z.string() }) }),
  replyTo: z.record(z.string(), z.string()).optional(),
  reply: z.object({
    tone: z.enum(['ok', 'error', 'queued']),
    lines: z.array(z.array(spanSchema)),
    attachment: z.object({ filename: z.string(), mediaType: z.string(), content: z.string() }).optional(),
    opened: z.number().int().optional(),
  }),
}) satisfies z.ZodType<LateReply>;

const messageSchema = z.union([z.object({ notice: noticeSchema }), z.object({ lateReply: lateReplySchema })]);

/** Reads a kept message back; null when it cannot be read (it is then set aside, never retried). */
export function decodeOutboxMessage(body: unknown): OutboxMessage | null {
  const parsed = messageSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

function isChatAdapter(consumer: NoticeConsumer): consumer is ChatAdapter {
  return 'deliverLate' in consumer;
}

/** The rows to keep for a message: which consumers get it, and the incident it keeps order with. */
export function toNewNotice(message: OutboxMessage, consumers: readonly NoticeConsumer[]): NewNotice | null {
  if ('notice' in message) {
    const wanting = consumers.filter((c) => c.wants(message.notice)).map((c) => c.name);
    return wanting.length > 0 ? { body: message, incidentId: noticeIncidentId(message.notice), consumers: wanting } : null;
  }
  const platform = message.lateReply.channel.platform;
  const adapter = consumers.find((c) => c.name === platform && isChatAdapter(c));
  return adapter ? { body: message, incidentId: null, consumers: [adapter.name] } : null;
}

/** Hands a message to the consumer it was kept for. */
export function deliverOutboxMessage(consumer: NoticeConsumer, message: OutboxMessage, key: string): Promise<void> {
  if ('notice' in message) return consumer.deliver(message.notice, key);
  if (!isChatAdapter(consumer)) throw new Error(`${consumer.name} cannot take late replies`);
  return consumer.deliverLate(message.lateReply, key);
}
