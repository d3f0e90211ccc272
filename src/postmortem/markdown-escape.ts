/**
 * User text made inert in Markdown (research notes §5.1), for marked (GFM) and markdown-it with
 * HTML and linkify on. Only what can start Markdown syntax inside a line is escaped, so the draft
 * stays easy to read and edit as plain text.
 *
 * Renderers that link bare addresses (GFM autolinks, linkify) take the text after `https://` or
 * `www.` verbatim up to a space or `<`, backslashes included: a backslash escape inside such a run
 * is swallowed into the link, and whatever it escaped goes live after it
 * (`https://x/a\<img onerror=…>`). Hence two rules:
 * - `<`, `>` and `&` become entities, which are text whether or not a link swallows them; so no
 *   typed character can open an HTML tag, and no link can end right before one;
 * - an address a renderer would link by itself is written so that no renderer can read it
 *   differently from us: `http(s)://` and `ftp://` ones as autolinks `<https://…>`, inside which
 *   nothing is Markdown; a `www.` one as typed when nothing after it needs escaping, else with its
 *   dot escaped (`www\.`), and an `https://` with no address after it as `https:\//`, so that no
 *   link starts there to swallow the escapes.
 * The rest is backslash-escaped: emphasis (* _ ~), code (`), links and images ([ ]), table cells (|),
 * and the backslash itself, so that a typed backslash cannot un-escape what follows it.
 */
const INLINE_SYNTAX = /[\\`*_~[\]|<>&]/g;
/** In a heading `#` too: a trailing one would close it. */
const HEADING_SYNTAX = /[\\`*_~[\]|<>&#]/g;
const ENTITY_OF: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/** Where marked or linkify may start a link by themselves, even inside a word. */
const LINK_START = /(?:https?|ftp):\/\/|www\./gi;
const ANOTHER_LINK_START = /(?:https?|ftp):\/\/|www\./i;
/**
 * An autolink cannot hold a space, `<` or `>`; a `|` would split a table cell before the link is
 * read; and marked takes a `\` before the closing `>` for an escape (browsers read `\` in an
 * address as `/` anyway).
 */
const ADDRESS = /^[^\s<>|\\]*/;
/** Sentence punctuation after an address is not part of it (as in GFM autolinks). */
const TRAILING_PUNCTUATION = /[.,:;!?'"*_~]$/;
const NOT_WHITESPACE = /^\S*/;

function escapeSyntax(text: string, syntax: RegExp): string {
  return text.replace(syntax, (c) => ENTITY_OF[c] ?? `\\${c}`);
}

function count(text: string, c: string): number {
  return text.split(c).length - 1;
}

/** The address without what follows it in a sentence: `(see https://x/a).` → `https://x/a`. */
function trimAddress(address: string): string {
  let end = address.length;
  for (;;) {
    const head = address.slice(0, end);
    const last = head.at(-1);
    const unbalanced = (last === ')' && count(head, ')') > count(head, '(')) || (last === ']' && count(head, ']') > count(head, '['));
    if (!unbalanced && !TRAILING_PUNCTUATION.test(head)) return head;
    end--;
  }
}

/**
 * How to write a place where a renderer would start a link by itself, and how much of the text that
 * covers: an address as an autolink; a `www.` or a bare `https://` it must not link with its
 * punctuation escaped.
 */
function writeLinkStart(text: string, from: number, start: string, syntax: RegExp): { markdown: string; length: number } {
  if (start.toLowerCase() === 'www.') {
    // marked would link up to the next space: only if we write all of that as typed.
    const rest = NOT_WHITESPACE.exec(text.slice(from + start.length))![0];
    const linkable = escapeSyntax(rest, syntax) === rest && !ANOTHER_LINK_START.test(rest);
    return { markdown: linkable ? start : `${start.slice(0, 3)}\\.`, length: start.length };
  }
  const address = trimAddress(ADDRESS.exec(text.slice(from))![0]);
  if (address.length > start.length) return { markdown: `<${address}>`, length: address.length };
  // No address for us, but linkify may still see one (in a cell `\|` reaches it as `|`).
  return { markdown: start.replace('//', '\\//'), length: start.length };
}

function escapeInline(text: string, syntax: RegExp): string {
  let out = '';
  let written = 0;
  for (const start of text.matchAll(LINK_START)) {
    if (start.index < written) continue;
    const { markdown, length } = writeLinkStart(text, start.index, start[0], syntax);
    out += escapeSyntax(text.slice(written, start.index), syntax) + markdown;
    written = start.index + length;
  }
  return out + escapeSyntax(text.slice(written), syntax);
}

/**
 * Line breaks as `\n` (U+2028 and U+2029 too: marked ends a table row at them), NUL as U+FFFD, other
 * controls but tab dropped, and U+FEFF, an invisible byte-order mark pasted along, on which renderers
 * disagree whether it ends an address.
 */
function dropControls(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\u0000/g, '\uFFFD')
    .replace(/[\u0001-\u0008\u000b-\u001f\u007f\ufeff]/g, '');
}

/**
 * Text on one line (headings, summary sentences): newlines become spaces, `#` is escaped too, since
 * a trailing one would close an ATX heading, and nothing becomes `—`, as in a cell (`****` would not be bold).
 */
export function mdText(text: string): string {
  const escaped = escapeInline(dropControls(text).replace(/\s*\n\s*/g, ' ').trim(), HEADING_SYNTAX);
  return escaped === '' ? '—' : escaped;
}

/**
 * Text in which nothing can need escaping or dropping: no syntax character, no control or line
 * break, nothing a renderer could start a link at. Most timeline text is like this; a 100,000-entry
 * export skips the escaping passes for it.
 */
const NOTHING_TO_ESCAPE = /^(?![\s\S]*(?:[a-z]:\/\/|www\.))[^\\`*_~[\]|<>&#\u0000-\u001f\u007f\u2028\u2029\ufeff]*$/i;

/** One table cell: a newline would end the table, so it becomes `<br>`; an empty cell becomes `—`. */
export function mdCell(text: string): string {
  return NOTHING_TO_ESCAPE.test(text) ? text.trim() || '—' : mdCellEscaped(text);
}

/** mdCell the long way, for any text (mdCell takes a shortcut where this would change nothing). */
export function mdCellEscaped(text: string): string {
  const escaped = dropControls(text)
    .replace(/\t/g, ' ')
    .split('\n')
    .map((line) => escapeInline(line.trim(), INLINE_SYNTAX))
    .join('<br>');
  return escaped === '' ? '—' : escaped;
}

/** One row of a GFM table; every cell, ours or the user's, goes through mdCell. */
export function mdRow(cells: readonly string[]): string {
  return `| ${cells.map(mdCell).join(' | ')} |`;
}

/** A GFM table. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [mdRow(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(mdRow)].join('\n');
}
