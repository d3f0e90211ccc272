import type { JournalContents, JournaledCommand } from './journal.ts';

/** A command as typed, quoted so that no control character reaches the terminal. */
function typed(c: JournaledCommand): string {
  const words = c.text === '' ? c.verb : `${c.verb} ${c.text}`;
  return JSON.stringify(c.payload !== undefined ? `${words} ${JSON.stringify(c.payload)}`.trim() : words);
}

function who(c: JournaledCommand): string {
  return `${c.actor.name} on ${c.channel.platform} ${c.channel.id}`;
}

/** `firebell journal`: what waits to be recorded, and what was set aside, for an operator to read. */
export function describeJournal(contents: JournalContents, paths: { journal: string; setAside: string }): string {
  const out: string[] = [];
  out.push(`pending: ${contents.pending.length} (${paths.journal})`);
  for (const { seq, command } of contents.pending) out.push(`  #${seq} ${command.receivedAt} ${who(command)}: ${typed(command)}`);
  out.push(`set aside: ${contents.setAside.length} (${paths.setAside})`);
  for (const s of contents.setAside) out.push(`  #${s.seq} ${s.command.receivedAt} ${who(s.command)}: ${typed(s.command)} — ${JSON.stringify(s.reason)}, set aside ${s.at}`);
  if (contents.unreadable.length > 0) {
    out.push(`unreadable lines: ${contents.unreadable.length}`);
    for (const u of contents.unreadable) out.push(`  ${u.file} line ${u.line}: ${u.reason}`);
  }
  return out.join('\n') + '\n';
}
