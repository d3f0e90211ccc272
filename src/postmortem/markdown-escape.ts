/**
 * User text made inert in Markdown (research notes §5.1; cmark-gfm and markdown-it agree on these).
 * Only the characters that can start Markdown syntax inside a line are escaped, so the draft stays
 * easy to read and edit as plain text: emphasis (* _ ~), code (`), links and images ([ ]), raw HTML
 * and autolinks (< >), entities (&), table cells (|), and the backslash itself, so that a typed
 * backslash cannot un-escape what follows it.
 */
const INLINE_SYNTAX = /[\\`*_~[\]<>&|]/g;
const HEADING_SYNTAX = /[\\`*_~[\]<>&|#]/g;

// GFM renderers link bare URLs before escapes apply, so a backslash inside one would end up in the
// address. URLs are left as typed, with only what would break a table cell percent-encoded.
const URL_RUN = /\b(?:https?:\/\/|www\.)[^\s<>]*[^\s<>.,;:!?'")\]]/gi;

function escapeInline(text: string, syntax = INLINE_SYNTAX): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_RUN)) {
    out += text.slice(last, m.index).replace(syntax, '\\$&');
    out += m[0].replace(/[|\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(syntax, '\\$&');
}

function dropControls(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u0000/g, '\uFFFD')
    .replace(/[\u0001-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Text on one line (headings, summary sentences): newlines become spaces; `#` is escaped too,
 * since a trailing one would close an ATX heading. */
export function mdText(text: string): string {
  return escapeInline(dropControls(text).replace(/\s*\n\s*/g, ' '), HEADING_SYNTAX);
}

/** One table cell: a newline would end the table, so it becomes `<br>`; an empty cell becomes `—`. */
export function mdCell(text: string): string {
  const escaped = escapeInline(dropControls(text))
    .replace(/\t/g, ' ')
    .split('\n')
    .map((s) => s.trim())
    .join('<br>');
  return escaped === '' ? '—' : escaped;
}

/** A GFM table; every cell, ours or the user's, goes through mdCell. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}
