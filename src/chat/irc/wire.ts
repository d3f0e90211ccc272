/**
 * Text as it may go on the IRC wire. A line has no escape mechanism: a CR or LF inside a value ends
 * the line and the rest runs as a command on the bot's connection (TOPIC, KICK, PRIVMSG NickServ),
 * NUL ends it on some servers, and \x01 starts a CTCP. Every outgoing value passes through here.
 */

/** 512 bytes including CRLF (modern-irc): ngircd hangs up on a longer line and cuts a relayed one to fit. */
export const IRC_LINE_BYTES = 510;

/** Room assumed when the server's view of the sender is not known. ngircd allows `~` + 18. */
export const WORST_CASE_USER_BYTES = 20;
export const WORST_CASE_HOST_BYTES = 63;

/** A UTF-8 character takes at most 4 bytes, so a smaller budget could not always make progress. */
const MIN_BUDGET_BYTES = 4;

const LINE_BREAK = /\r\n|\r|\n/;
const BLANK = /^\s*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const encoder = new TextEncoder();

const byteLength = (text: string) => encoder.encode(text).length;

/**
 * One value safe for any place on the wire: CR LF, CR and LF become one space; NUL and \x01 are
 * dropped. A lone surrogate (which cannot be encoded) becomes U+FFFD, so its byte count is the
 * one the socket will send.
 */
export function cleanWireText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/[\0\x01]/g, '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Text as lines of at most `budgetBytes` UTF-8 bytes each. A line break starts a new line, and a
 * blank line is dropped (a PRIVMSG cannot be empty). A line too long for the budget is cut at the
 * end of its last word that fits, else between graphemes, else (one grapheme longer than the whole
 * budget) between code points, never inside one. The space at a word cut starts the next line:
 * servers trim trailing whitespace (ngircd does), not leading. Nothing else is lost: the lines
 * concatenated are the cleaned text of the non-blank lines.
 */
export function splitForWire(text: string, budgetBytes: number): string[] {
  if (!Number.isInteger(budgetBytes) || budgetBytes < MIN_BUDGET_BYTES) {
    throw new RangeError(`a wire line needs a budget of at least ${MIN_BUDGET_BYTES} bytes, got ${budgetBytes}`);
  }
  const lines: string[] = [];
  for (const paragraph of text.split(LINE_BREAK)) {
    const clean = cleanWireText(paragraph);
    if (!BLANK.test(clean)) lines.push(...splitParagraph(clean, budgetBytes));
  }
  return lines;
}

interface Piece {
  text: string;
  bytes: number;
  space: boolean;
}

function splitParagraph(text: string, budgetBytes: number): string[] {
  if (byteLength(text) <= budgetBytes) return [text];
  const pieces: Piece[] = [];
  for (const { segment } of graphemes.segment(text)) {
    const bytes = byteLength(segment);
    if (bytes <= budgetBytes) {
      pieces.push({ text: segment, bytes, space: BLANK.test(segment) });
      continue;
    }
    // A grapheme longer than a whole line (a long run of combining marks): its code points go one by one.
    for (const codePoint of segment) pieces.push({ text: codePoint, bytes: byteLength(codePoint), space: false });
  }

  const lines: string[] = [];
  let start = 0;
  while (start < pieces.length) {
    let end = start;
    let bytes = 0;
    let lastWordEnd = -1;
    while (end < pieces.length && bytes + pieces[end]!.bytes <= budgetBytes) {
      if (end > start && pieces[end]!.space && !pieces[end - 1]!.space) lastWordEnd = end;
      bytes += pieces[end]!.bytes;
      end++;
    }
    const atWordEnd = end === pieces.length || (pieces[end]!.space && !pieces[end - 1]!.space);
    if (!atWordEnd && lastWordEnd > start) end = lastWordEnd;
    lines.push(pieces.slice(start, end).map((p) => p.text).join(''));
    start = end;
  }
  return lines;
}

export interface RelayedMessage {
  nick: string;
  /** The user (ident) part as the server shows it, `~` included; worst case when unknown. */
  user?: string;
  /** The host as the server shows it (it may be cloaked); worst case when unknown. */
  host?: string;
  command: 'PRIVMSG' | 'NOTICE';
  target: string;
}

/**
 * Bytes left for the text of one PRIVMSG or NOTICE, judged by the line the server relays to
 * others: `:nick!user@host PRIVMSG target :text` must fit in 510 bytes, or it is truncated there.
 */
export function messageBudget({ nick, user, host, command, target }: RelayedMessage): number {
  const userBytes = user === undefined ? WORST_CASE_USER_BYTES : byteLength(user);
  const hostBytes = host === undefined ? WORST_CASE_HOST_BYTES : byteLength(host);
  const prefixBytes = 1 + byteLength(nick) + 1 + userBytes + 1 + hostBytes + 1;
  return IRC_LINE_BYTES - prefixBytes - byteLength(`${command} ${target} :`);
}
