import type { NoticeText } from '../notice-text.ts';
import type { LateReply, Reply } from '../types.ts';

const MARK = { ok: '', error: '✗ ', queued: '⏳ ' } as const;

/** A reply as terminal text: plain lines, errors marked, an attachment printed after them. */
export function renderShellReply(reply: Reply): string {
  const lines = reply.lines.map((l) => l.map((s) => s.text).join(''));
  const first = lines[0];
  if (first !== undefined) lines[0] = MARK[reply.tone] + first;
  let out = lines.join('\n') + '\n';
  if (reply.attachment) out += `\n${reply.attachment.content.replace(/\n*$/, '\n')}`;
  return out;
}

export function renderShellLateReply(late: LateReply): string {
  const command = `${late.invocation.verb} ${late.invocation.text}`.trim();
  return `[recorded now: ${command}]\n${renderShellReply(late.reply)}`;
}

/** What the shell says about things that happened elsewhere (another platform, another shell). */
export function renderShellNotice(text: NoticeText): string {
  const mention = text.mention.length > 0 ? ` (${text.mention.map((p) => p.name).join(', ')})` : '';
  return `${text.line.map((s) => s.text).join('')}${mention}\n`;
}
