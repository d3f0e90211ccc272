/**
 * Slack channel names for incidents. conversations.create: "Channel names may only contain
 * lowercase letters, numbers, hyphens, and underscores, and must be 80 characters or less"; it
 * rejects (rather than fixes) any other name, and one made only of punctuation.
 */
export const CHANNEL_NAME_MAX = 80;

/** The title's words in [a-z0-9_], joined by single hyphens; accents dropped, the rest removed. */
function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    // Compatibility forms can decompose to capitals (㎒ → MHz).
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

/** Cut to `max` characters, at a hyphen when one is near, with no separator left at the end. */
function fit(name: string, max: number): string {
  if (name.length <= max) return name;
  const cut = name.slice(0, max);
  const lastBreak = cut.lastIndexOf('-');
  // Prefer ending on a whole word, unless that would throw away more than a third of the room.
  const trimmed = lastBreak >= (max * 2) / 3 ? cut.slice(0, lastBreak) : cut;
  return trimmed.replace(/[-_]+$/, '');
}

/**
 * `inc-<n>-<slug of the title>`, at most 80 characters. A title with nothing Slack allows (emoji,
 * another script) gives `inc-<n>`, which still has the alphanumerics Slack requires.
 */
export function incidentChannelName(n: number, title: string): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`incident number must be a positive integer, got ${n}`);
  const prefix = `inc-${n}`;
  const slug = slugify(title);
  return slug === '' ? prefix : fit(`${prefix}-${slug}`, CHANNEL_NAME_MAX);
}

/**
 * The name to try when `name` is taken (Slack answers name_taken, archived channels included):
 * `<name>-<k>`, the name shortened so the whole still fits in 80 characters.
 */
export function withSuffix(name: string, k: number): string {
  if (!Number.isSafeInteger(k) || k < 2) throw new Error(`suffix must be an integer of at least 2, got ${k}`);
  const suffix = `-${k}`;
  return `${fit(name, CHANNEL_NAME_MAX - suffix.length)}${suffix}`;
}
