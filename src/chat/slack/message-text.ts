/**
 * Slack's message text as people read it, for the timeline: Slack sends `&`, `<` and `>` as
 * entities and wraps mentions, channels and links in `<…>`. Pure: names come from `nameOf`.
 */
export function readableMessageText(text: string, nameOf: (userId: string) => string | undefined): string {
  const readable = text.replace(/<([^<>]*)>/g, (_all, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) return `@${nameOf(target.slice(1)) ?? label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return readable.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The user ids a message or a command mentions (`<@U123>`, `<@U123|dana>`). */
export function mentionedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>/g)].map((m) => m[1]!))];
}

/**
 * A slash command's text as firebell reads it. Slack sends `&`, `<`, `>` as entities and, with
 * should_escape, mentions, channels and links in `<…>`: those read as people see them, except a
 * person given as an argument (`role commander <@U123>`, `--owner <@U123>`), which stays a mention
 * so the command can key the person by id.
 */
export function slashCommandText(verb: string, text: string, nameOf: (userId: string) => string | undefined): string {
  const keepsPeople = verb === 'role' || verb === 'lead';
  const parts = text.split(/(<@[UW][A-Z0-9]{2,}(?:\|[^<>]*)?>)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return readableMessageText(part, nameOf);
      const before = parts[i - 1] ?? '';
      const endsWord = /^(\s|$)/.test(parts[i + 1] ?? '');
      const asArgument = endsWord && ((keepsPeople && /(^|\s)$/.test(before)) || /(^|\s)--owner(\s+|=)$/.test(before));
      return asArgument ? nameMentions(part, nameOf) : readableMessageText(part, nameOf);
    })
    .join('');
}

/**
 * Command text with each mention carrying the person's display name (`<@U123|dana>`), so the
 * command records the name people know, beside the id it keys them by.
 */
export function nameMentions(text: string, nameOf: (userId: string) => string | undefined): string {
  return text.replace(/<@([UW][A-Z0-9]{2,})(?:\|([^<>]*))?>/g, (all, id: string, label: string | undefined) => {
    const name = nameOf(id) ?? label;
    return name && /^[^<>|\s][^<>|]{0,79}$/.test(name) ? `<@${id}|${name}>` : all;
  });
}

/** A message ts (`1700000000.123456`) as the instant it was written. */
export function tsToDate(ts: string): Date | null {
  const m = /^(\d{1,12})\.(\d{6})$/.exec(ts);
  return m ? new Date(Number(m[1]) * 1000 + Math.floor(Number(m[2]) / 1000)) : null;
}
