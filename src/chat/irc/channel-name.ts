import { fail, ok, type Result } from '../../core/errors.ts';
import { asciiLower } from './casemap.ts';

/** RFC 2812's limit, and ngircd's CHANNELLEN; used when the server does not say. */
export const DEFAULT_CHANNEL_BYTES = 50;

// A prefix, then no space, comma, BELL, colon (ngircd refuses it) or other control character.
const CHANNEL_NAME = /^[#&][^\x00-\x20,\x07:]+$/;

// Letters NFKD does not take apart; the rest of the title is dropped.
const TRANSLITERATIONS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ħ: 'h' };

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

/**
 * `#inc-<n>-<slug>` for an incident's own channel: the slug is the title in `[a-z0-9-]` (accents
 * dropped, `ß` as `ss`, anything else a dash), cut to fit `maxBytes` (CHANNELLEN) at a dash when
 * that keeps most of it, and never ending in a dash. A title with nothing usable gives `#inc-<n>`.
 */
export function incidentChannelName(incidentNumber: number, title: string, maxBytes = DEFAULT_CHANNEL_BYTES): string {
  if (!Number.isSafeInteger(incidentNumber) || incidentNumber < 1) throw new RangeError(`not an incident number: ${incidentNumber}`);
  const bare = `#inc-${incidentNumber}`;
  if (bare.length > maxBytes) throw new RangeError(`${bare} does not fit a channel name of ${maxBytes} bytes`);
  const room = maxBytes - bare.length - 1;
  if (room < 1) return bare;
  let slug = slugOf(title);
  if (slug.length > room) {
    // Back to the last dash if the cut falls inside a word and that keeps half the room. Dashes
    // never repeat, so neither cut can end on one (a dash at room - 1 is always at least half).
    const cut = slug.slice(0, room);
    const lastDash = cut.lastIndexOf('-');
    slug = slug[room] !== '-' && lastDash >= room / 2 ? cut.slice(0, lastDash) : cut;
  }
  return slug === '' ? bare : `${bare}-${slug}`;
}

function slugOf(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðþłıħ]/g, (letter) => TRANSLITERATIONS[letter] ?? '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A name the server will take as a channel, and that cannot smuggle a second parameter or line. */
export function isValidChannelName(name: string, maxBytes = DEFAULT_CHANNEL_BYTES): boolean {
  return CHANNEL_NAME.test(name) && byteLength(name) <= maxBytes;
}

/** CHANNELLEN as irc-framework keeps it from ISUPPORT (`'50'`), or the RFC's 50 when absent. */
export function channelLengthFrom(isupportValue: unknown): number {
  const n = typeof isupportValue === 'string' && /^\d+$/.test(isupportValue) ? Number(isupportValue) : NaN;
  return n > 0 ? n : DEFAULT_CHANNEL_BYTES;
}

/**
 * A configured list of channels (`IRC_CHANNELS=#ops,#sre`): commas or spaces between names,
 * duplicates (in IRC's case-insensitive sense) kept once, the first bad name reported.
 */
export function parseChannelList(text: string, maxBytes = DEFAULT_CHANNEL_BYTES): Result<string[]> {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const name of text.split(/[\s,]+/).filter((n) => n !== '')) {
    if (!/^[#&]/.test(name)) return fail('bad_argument', `${JSON.stringify(name)} is not a channel name: it must start with #, as in ${JSON.stringify(`#${name}`)}`);
    if (!CHANNEL_NAME.test(name)) return fail('bad_argument', `${JSON.stringify(name)} is not a valid channel name: no colons or control characters`);
    if (byteLength(name) > maxBytes) return fail('bad_argument', `${JSON.stringify(name)} is too long for a channel name (at most ${maxBytes} bytes)`);
    const key = asciiLower(name);
    if (!seen.has(key)) names.push(name);
    seen.add(key);
  }
  return ok(names);
}
