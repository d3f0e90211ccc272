/** Argument schemas that several verbs share, each with the one-line error a user sees. */
import { z } from 'zod';
import { MAX_TEXT_LENGTH } from '../core/model.ts';
import { parsePersonRef, type PersonRef } from '../core/people.ts';
import { parseDuration } from '../core/duration.ts';
import { parseWarningRef } from '../core/warning-model.ts';
import { parseWhen, splitLeadingWhen, type When } from '../core/when.ts';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Characters as a person counts them (Unicode code points): an emoji is one, not the two UTF-16
 * units `length` counts. Walks the string instead of spreading it, so ASCII text costs no allocation.
 */
export function countCharacters(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}

/** Longest word a reply echoes back whole: enough to spot a typo, not a pasted paragraph. */
const MAX_ECHOED_WORD = 32;

/** A word the user typed, as an error quotes it: on one line and cut short when long. */
export function echoWord(word: string): string {
  const oneLine = word.replace(/\s+/g, ' ');
  if (countCharacters(oneLine) <= MAX_ECHOED_WORD) return oneLine;
  return `${[...oneLine].slice(0, MAX_ECHOED_WORD).join('')}…`;
}

export function freeText(label: string, max = MAX_TEXT_LENGTH) {
  return z
    .string()
    .trim()
    .min(1, `missing ${label}`)
    .refine((v) => countCharacters(v) <= max, {
      error: (iss) => `${label} is too long (${count(countCharacters(String(iss.input)))} characters; the limit is ${count(max)})`,
    });
}

export function oneOf<const T extends readonly [string, ...string[]]>(label: string, values: T, aliases: Record<string, T[number]> = {}) {
  const list = values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0];
  return z
    .string()
    .transform((v) => aliases[v.toLowerCase()] ?? v.toLowerCase())
    .pipe(z.enum(values, { error: (iss) => `bad ${label} "${echoWord(String(iss.input))}": use ${list}` }));
}

export const severity = z
  .string()
  .regex(/^(sev)?[1-4]$/i, { error: (iss) => `bad severity "${echoWord(String(iss.input))}": use 1-4 (1 is the most severe)` })
  .transform((v) => Number(v.slice(-1)));

/** A time given on its own, e.g. `--at "2026-03-01 23:40"`. */
export const when = z.string().transform((v, ctx): When => {
  const parsed = parseWhen(v);
  if (!parsed.ok) {
    ctx.issues.push({ code: 'custom', message: parsed.error.message, input: v });
    return z.NEVER;
  }
  return parsed.value;
});

/** `[<time>] <text>`: free text that may start with a time that backdates it. */
export function timedText(label: string, options: { textRequired: boolean } = { textRequired: true }) {
  const textSchema = freeText(label);
  return z.string().transform((v, ctx): { when: When | null; text: string } => {
    const split = splitLeadingWhen(v);
    if (!split.ok) {
      ctx.issues.push({ code: 'custom', message: split.error.message, input: v });
      return z.NEVER;
    }
    const text = textSchema.safeParse(split.value.rest);
    if (text.success) return { when: split.value.when, text: text.data };
    if (!options.textRequired && split.value.rest.trim() === '') return { when: split.value.when, text: '' };
    ctx.issues.push({ code: 'custom', message: text.error.issues[0]?.message ?? `bad ${label}`, input: v });
    return z.NEVER;
  });
}

/** A timeline entry's id as shown: `42` or `#42`. */
export const entryId = z
  .string()
  .regex(/^#?\d{1,9}$/, { error: (iss) => `bad entry "${echoWord(String(iss.input))}": use the number shown beside it, e.g. #42` })
  .transform((v) => Number(v.replace('#', '')));

/** A person, as each platform lets people write one: `dana`, `@dana`, `<@U123ABC|dana>`. */
export function person(label: string) {
  return z.string().transform((v, ctx): PersonRef => {
    const parsed = parsePersonRef(v);
    if (parsed) return parsed;
    ctx.issues.push({ code: 'custom', message: `bad ${label} "${echoWord(v)}": one name, e.g. dana or @dana`, input: v });
    return z.NEVER;
  });
}

/** A warning as shown: `W-3` (or `w3`, `3`). */
export const warningId = z.string().transform((v, ctx): number => {
  const id = parseWarningRef(v);
  if (id !== null) return id;
  ctx.issues.push({ code: 'custom', message: `bad warning "${echoWord(v)}": use the W-number \`warnings\` shows, e.g. W-3`, input: v });
  return z.NEVER;
});

/** How long, as typed: `30m`, `2h`, `1h30m`, `1d`. */
export const duration = z.string().transform((v, ctx): number => {
  const parsed = parseDuration(v);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', message: parsed.error.message.replace(/"(.*)"/, (_, w: string) => `"${echoWord(w)}"`), input: v });
  return z.NEVER;
});
