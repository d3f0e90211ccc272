import { protocol, types, type ParserOptions } from '@electric-sql/pglite';

/**
 * Postgres's answer to one call into PGlite, read from its bytes (wire protocol, text format).
 * PGlite's execProtocol copies an answer three times and makes an object of every message in it;
 * for a command's statements that was a fifth of its time. Only what firebell reads is read here:
 * the rows, and the command tags. An answer with an error in it is left to PGlite's own parser,
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
  /** The last command tag: `COMMIT`, or `ROLLBACK` for a commit of a transaction that had failed. */
  lastTag: string | null;
}

const DATA_ROW = 0x44; // 'D'
const COMMAND_COMPLETE = 0x43; // 'C'
const ERROR_RESPONSE = 0x45; // 'E'
const COUNTED_TAGS = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE']);

/** Throws the first error in the answer, as PGlite's execProtocol would. */
export function throwIfError(answer: Buffer): void {
  for (let at = 0; at < answer.length; at += 1 + answer.readInt32BE(at + 1)) {
    if (answer[at] !== ERROR_RESPONSE) continue;
    let error: Error | null = null;
    new protocol.Parser().parse(answer, (message) => {
      if (!error && message instanceof protocol.messages.DatabaseError) error = message;
    });
    throw error ?? new Error('PGlite answered with an error that could not be read');
  }
}

/** The rows (text values turned into JavaScript ones by `parsers`) and tags of an error-free answer. */
export function readAnswer<R>(answer: Buffer, fields: readonly AnswerField[], parsers: ParserOptions): Answer<R> {
  const rows: R[] = [];
  let affectedRows = 0;
  let lastTag: string | null = null;
  for (let at = 0; at < answer.length; ) {
    const type = answer[at];
    const end = at + 1 + answer.readInt32BE(at + 1);
    const body = at + 5;
    if (type === DATA_ROW) {
      rows.push(readRow(answer, body, fields, parsers) as R);
    } else if (type === COMMAND_COMPLETE) {
      // The tag is a C string; one that counts rows ends in the count ("INSERT 0 1", "UPDATE 3").
      lastTag = answer.toString('utf8', body, end - 1);
      const words = lastTag.split(' ');
      if (COUNTED_TAGS.has(words[0]!)) affectedRows += Number(words.at(-1));
    }
    at = end;
  }
  return { rows, affectedRows, lastTag };
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
