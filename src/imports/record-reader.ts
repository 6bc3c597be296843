import type { Readable } from 'stream';
import type { ImportFormat } from '../storage/entities/import.entity';

/** One row of a file: its line (the first line is 1; a CSV's header is line 1) and its fields, or why it is not one. */
export interface FileRecord {
  line: number;
  record?: Record<string, unknown>;
  error?: string;
  /** The row as read, for the error list (cut to 1,000 characters). */
  raw: string;
}

/** Thrown when the file as a whole cannot be read (encoding, a CSV without a header). */
export class UnreadableFileError extends Error {}

const RAW_MAX = 1000;

/**
 * Text of a byte stream: UTF-8 (a BOM dropped), or GBK/GB18030 when the first chunk is not UTF-8 but reads as
 * GB18030 (Excel's "CSV" on a Chinese Windows). Invalid bytes later in the file stop the import with the offset.
 */
async function* textOf(input: Readable, onBytes: (n: number) => void): AsyncGenerator<string> {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let offset = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    if (!decoder) {
      decoder = new TextDecoder('utf-8', { fatal: true });
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
      } catch {
        const gbk = new TextDecoder('gb18030', { fatal: true });
        try {
          gbk.decode(chunk, { stream: true });
        } catch {
          throw new UnreadableFileError('the file is neither UTF-8 nor GBK text: save it as CSV UTF-8');
        }
        decoder = new TextDecoder('gb18030', { fatal: true });
      }
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new UnreadableFileError(`invalid ${decoder.encoding} text near byte ${offset}: save the file as CSV UTF-8`);
    }
    offset += chunk.length;
    onBytes(chunk.length);
    if (text) yield text;
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield rest;
  }
}

/**
 * CSV rows (RFC 4180: quoted fields with `""`, line breaks inside quotes, CRLF or LF) as arrays of cells with the
 * line each row starts on. One pass over the text, state carried across chunks, so memory is one row at most.
 */
async function* csvRows(text: AsyncIterable<string>): AsyncGenerator<{ line: number; cells: string[]; open: boolean }> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let closed = false; // just after a closing quote: a quote now is an escaped one split across chunks
  let line = 1;
  let rowLine = 1;
  let skipLF = false;
  for await (const chunk of text) {
    let runStart = -1; // start of a run of plain characters copied in one slice
    const flush = (i: number) => {
      if (runStart >= 0) cell += chunk.slice(runStart, i);
      runStart = -1;
    };
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (skipLF) {
        skipLF = false;
        if (ch === 10) continue;
      }
      if (quoted) {
        if (ch === 34) {
          flush(i);
          if (i + 1 < chunk.length && chunk.charCodeAt(i + 1) === 34) {
            cell += '"';
            i++;
          } else {
            quoted = false;
            closed = true;
          }
        } else {
          if (ch === 10) line++;
          if (runStart < 0) runStart = i;
        }
        continue;
      }
      if (ch === 34 && closed && i === 0) {
        cell += '"';
        quoted = true;
        closed = false;
        continue;
      }
      closed = false;
      if (ch === 44) {
        flush(i);
        cells.push(cell);
        cell = '';
      } else if (ch === 10 || ch === 13) {
        flush(i);
        cells.push(cell);
        const row = { line: rowLine, cells, open: false };
        cells = [];
        cell = '';
        line++;
        rowLine = line;
        if (ch === 13) skipLF = true;
        if (row.cells.length > 1 || row.cells[0] !== '') yield row;
      } else if (ch === 34 && cell === '' && runStart < 0) {
        quoted = true;
      } else if (runStart < 0) runStart = i;
    }
    flush(chunk.length);
  }
  if (cell !== '' || cells.length > 0 || quoted) {
    cells.push(cell);
    yield { line: rowLine, cells, open: quoted };
  }
}

const rawOf = (cells: readonly string[]): string => cells.join(',').slice(0, RAW_MAX);

async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<FileRecord> {
  let header: string[] | undefined;
  for await (const row of csvRows(text)) {
    if (!header) {
      header = row.cells.map((c) => c.trim());
      if (header.every((h) => h === '')) throw new UnreadableFileError('the CSV has no header row');
      continue;
    }
    const raw = rawOf(row.cells);
    if (row.open) {
      yield { line: row.line, raw, error: 'a quoted field is never closed' };
      continue;
    }
    if (row.cells.length !== header.length) {
      yield {
        line: row.line,
        raw,
        error: `expected ${header.length} columns as in the header, found ${row.cells.length}`,
      };
      continue;
    }
    const record: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (h !== '') record[h] = row.cells[i];
    });
    yield { line: row.line, raw, record };
  }
  if (!header) throw new UnreadableFileError('the file is empty');
}

async function* ndjsonRecords(text: AsyncIterable<string>): AsyncGenerator<FileRecord> {
  let carry = '';
  let line = 0;
  const parse = (s: string): FileRecord | undefined => {
    line++;
    const t = s.trim();
    if (t === '') return undefined;
    const raw = t.slice(0, RAW_MAX);
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return { line, raw, error: 'expected a JSON object' };
      return { line, raw, record: v as Record<string, unknown> };
    } catch {
      return { line, raw, error: 'not valid JSON' };
    }
  };
  for await (const chunk of text) {
    carry += chunk;
    let from = 0;
    let nl: number;
    while ((nl = carry.indexOf('\n', from)) >= 0) {
      const r = parse(carry.slice(from, nl));
      from = nl + 1;
      if (r) yield r;
    }
    carry = carry.slice(from);
  }
  const r = parse(carry);
  if (r) yield r;
}

/** The records of a CSV (with a header) or NDJSON stream; `onBytes` hears how many bytes were consumed. */
export function readRecords(
  input: Readable,
  format: ImportFormat,
  onBytes: (n: number) => void = () => undefined,
): AsyncGenerator<FileRecord> {
  const text = textOf(input, onBytes);
  return format === 'csv' ? csvRecords(text) : ndjsonRecords(text);
}
