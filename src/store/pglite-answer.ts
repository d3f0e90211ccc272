import { protocol, types, type ParserOptions } from '@electric-sql/pglite';

/**
 * Postgres's answer to one call into PGlite, read from its bytes (wire protocol, text format).
 * PGlite's execProtocol copies an answer three times and makes an object of every message in it;
 * reading only what firebell needs (the rows, the command tags) straight from the bytes made a
 * `log` about a tenth faster. An answer with an error in it is left to PGlite's own parser,
 * so the error thrown is PGlite's, with its SQLSTATE and details.
 */

/** A result column, as the statement's description gave it. */
export interface AnswerField {
  name: string;
  dataTypeID: number;
}

export interface Answer<R> {
  rows: R[];
  /** Rows written (INSERT, UPDATE, DELETE, COPY, MERGE), as PGlite counts them. */
  affectedRows: number;
}

const DATA_ROW = 0x44; // 'D'
const COMMAND_COMPLETE = 0x43; // 'C'
const ERROR_RESPONSE = 0x45; // 'E'
const COUNTED_TAGS = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE']);

/** Throws the first error in the answer, as PGlite's execProtocol would. */
export function throwIfError(answer: Buffer): void {
  for (let at = 0; at < answer.length; at = messageEnd(answer, at)) {
    if (answer[at] !== ERROR_RESPONSE) continue;
    let error: Error | null = null;
    new protocol.Parser().parse(answer, (message) => {
      if (!error && message instanceof protocol.messages.DatabaseError) error = message;
    });
    throw error ?? new Error('PGlite answered with an error that could not be read');
  }
}

/** The rows (text values turned into JavaScript ones by `parsers`) of an error-free answer, and what it wrote. */
export function readAnswer<R>(answer: Buffer, fields: readonly AnswerField[], parsers: ParserOptions): Answer<R> {
  const rows: R[] = [];
  let affectedRows = 0;
  for (let at = 0; at < answer.length; at = messageEnd(answer, at)) {
    if (answer[at] === DATA_ROW) rows.push(readRow(answer, at + 5, fields, parsers) as R);
    if (answer[at] === COMMAND_COMPLETE) {
      // One that counts rows ends in the count ("INSERT 0 1", "UPDATE 3").
      const words = commandTag(answer, at).split(' ');
      if (COUNTED_TAGS.has(words[0]!)) affectedRows += Number(words.at(-1));
    }
  }
  return { rows, affectedRows };
}

/** The answer's last command tag: `COMMIT`, or `ROLLBACK` for a commit of a transaction that had failed. */
export function lastCommandTag(answer: Buffer): string | null {
  let tag: string | null = null;
  for (let at = 0; at < answer.length; at = messageEnd(answer, at)) {
    if (answer[at] === COMMAND_COMPLETE) tag = commandTag(answer, at);
  }
  return tag;
}

/** Each message: its type (one byte), then its length (four, counting themselves), then its body. */
function messageEnd(answer: Buffer, at: number): number {
  return at + 1 + answer.readInt32BE(at + 1);
}

/** A CommandComplete's tag, a C string. */
function commandTag(answer: Buffer, at: number): string {
  return answer.toString('utf8', at + 5, messageEnd(answer, at) - 1);
}

function readRow(answer: Buffer, at: number, fields: readonly AnswerField[], parsers: ParserOptions): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const count = answer.readInt16BE(at);
  let p = at + 2;
  for (let i = 0; i < count; i++) {
    const length = answer.readInt32BE(p);
    p += 4;
    const field = fields[i];
    if (!field) throw new Error(`PGlite answered with ${count} columns where the statement describes ${fields.length}`);
    if (length === -1) {
      row[field.name] = null;
      continue;
    }
    row[field.name] = types.parseType(answer.toString('utf8', p, p + length), field.dataTypeID, parsers);
    p += length;
  }
  return row;
}
