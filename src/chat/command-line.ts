/** Splitting a typed command into words, the same way on every platform. */

export interface Token {
  /** The word with its quotes removed. */
  value: string;
  /** Offsets into the text the token came from, quotes included. */
  start: number;
  end: number;
  quoted: boolean;
  /** `--name="a b"`: the value after `=` was quoted (and its quotes are removed from value). */
  quotedValue?: boolean;
}

// Slack and phones turn straight quotes into curly ones; people mean the same thing.
const OPENING_QUOTES = new Map([
  ['"', '"'],
  ['\u201c', '\u201d'],
  ['\u201e', '\u201d'],
]);

/**
 * Words separated by whitespace; "double quotes" (straight or curly) keep a phrase together.
 * Single quotes are left alone: apostrophes are far more common in incident notes than quoting.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    const close = OPENING_QUOTES.get(text[i]!);
    if (close !== undefined) {
      const end = text.indexOf(close, i + 1);
      const after = end === -1 ? '' : (text[end + 1] ?? '');
      if (end !== -1 && (after === '' || /\s/.test(after))) {
        tokens.push({ value: text.slice(start + 1, end), start, end: end + 1, quoted: true });
        i = end + 1;
        continue;
      }
    }
    const option = /^--[a-z][a-z-]*=/i.exec(text.slice(start, start + 64));
    const valueQuote = option ? OPENING_QUOTES.get(text[start + option[0].length] ?? '') : undefined;
    if (option && valueQuote !== undefined) {
      const open = start + option[0].length;
      const end = text.indexOf(valueQuote, open + 1);
      if (end !== -1) {
        tokens.push({ value: option[0] + text.slice(open + 1, end), start, end: end + 1, quoted: false, quotedValue: true });
        i = end + 1;
        continue;
      }
    }
    // A Slack mention carries the display name, which may have spaces: `<@U123ABC|Dana Scully>` is one person.
    const mention = /^<@[UW][A-Z0-9]{2,}\|[^<>|]{1,80}>/.exec(text.slice(start, start + 100));
    const afterMention = mention ? (text[start + mention[0].length] ?? '') : 'x';
    if (mention && (afterMention === '' || /\s/.test(afterMention))) {
      i = start + mention[0].length;
      tokens.push({ value: mention[0], start, end: i, quoted: false });
      continue;
    }
    while (i < text.length && !/\s/.test(text[i]!)) i++;
    tokens.push({ value: text.slice(start, i), start, end: i, quoted: false });
  }
  return tokens;
}

/**
 * Chat text made safe to store and to echo: CR LF and CR become LF, NUL and other control
 * characters (which no one types on purpose) are dropped; tabs and newlines stay. C1 controls go
 * too: some terminals read U+009B as the start of an escape sequence, as they read ESC [.
 */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** `verb rest…` from the text after a platform's prefix (`/incident`, `!incident`, `firebell:`). */
export function splitVerb(text: string): { verb: string; text: string } | null {
  const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  if (!m) return null;
  return { verb: m[1]!.toLowerCase(), text: m[2]!.trimEnd() };
}
