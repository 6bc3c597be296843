import { createWriteStream, type WriteStream } from 'fs';
import { rm } from 'fs/promises';
import { randomUUID } from 'crypto';
import { tmpdir } from 'os';
import { join } from 'path';
import type { IncomingMessage } from 'http';
import { HttpError } from '../http-error';

/** A multipart/form-data request read: its text fields and its one file, written to a temporary path. */
export interface Upload {
  fields: Record<string, string>;
  file?: { path: string; fileName: string | null; bytes: number };
}

const MAX_FIELD_BYTES = 64 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

function write(out: WriteStream, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(chunk)) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
}

/**
 * Streams a multipart/form-data body (RFC 7578): text fields are kept (64 KiB each), the part named `fileField`
 * goes to a file in the temp directory as it arrives, so memory stays one chunk plus the boundary whatever the
 * file's size; beyond `maxBytes` the request is refused with 413 and the partial file removed.
 */
export async function readMultipart(
  req: IncomingMessage,
  contentType: string,
  opts: { fileField: string; maxBytes: number },
): Promise<Upload> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2]?.trim();
  if (!boundary) throw new HttpError(400, 'BAD_REQUEST', 'multipart/form-data without a boundary');
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const upload: Upload = { fields: {} };
  // The body starts with `--boundary`; prefixing CRLF makes every delimiter the same.
  let buf: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  let part: { name: string; fileName: string | null; out?: WriteStream; text?: Buffer[]; size: number } | undefined;
  let total = 0;
  const fail = async (e: HttpError): Promise<never> => {
    part?.out?.destroy();
    if (upload.file) await rm(upload.file.path, { force: true });
    throw e;
  };
  const endPart = async () => {
    if (!part) return;
    if (part.out) {
      const out = part.out;
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      upload.file!.bytes = part.size;
    } else if (part.text) upload.fields[part.name] = Buffer.concat(part.text).toString('utf8');
    part = undefined;
  };
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > opts.maxBytes)
      await fail(new HttpError(413, 'PAYLOAD_TOO_LARGE', `upload exceeds ${opts.maxBytes} bytes`));
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (state === 'done') break;
      if (state === 'preamble' || state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep what could be the start of a delimiter; the rest is data of the current part.
          const keep = Math.min(buf.length, delimiter.length + 1);
          const data = buf.subarray(0, buf.length - keep);
          if (state === 'body' && part && data.length) await feed(part, data);
          buf = Buffer.from(buf.subarray(buf.length - keep));
          break;
        }
        if (state === 'body' && part) await feed(part, buf.subarray(0, at));
        await endPart();
        const after = buf.subarray(at + delimiter.length);
        if (after.length < 2) break;
        if (after[0] === 0x2d && after[1] === 0x2d) {
          state = 'done';
          break;
        }
        buf = Buffer.from(after.subarray(2));
        state = 'headers';
        continue;
      }
      const end = buf.indexOf(HEADER_END);
      if (end < 0) {
        if (buf.length > 16 * 1024) await fail(new HttpError(400, 'BAD_REQUEST', 'multipart part headers too long'));
        break;
      }
      const headers = buf.subarray(0, end).toString('utf8');
      buf = Buffer.from(buf.subarray(end + HEADER_END.length));
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
      const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
      part = { name, fileName, size: 0 };
      if (name === opts.fileField) {
        if (upload.file) await fail(new HttpError(400, 'BAD_REQUEST', `send one ${opts.fileField} part`));
        const path = join(tmpdir(), `siyu-upload-${randomUUID()}`);
        upload.file = { path, fileName, bytes: 0 };
        part.out = createWriteStream(path);
      } else part.text = [];
      state = 'body';
    }
  }
  if (state !== 'done')
    await fail(new HttpError(400, 'BAD_REQUEST', 'multipart body ended before its closing boundary'));
  return upload;

  async function feed(p: NonNullable<typeof part>, data: Buffer): Promise<void> {
    p.size += data.length;
    if (p.out) await write(p.out, Buffer.from(data));
    else {
      if (p.size > MAX_FIELD_BYTES)
        await fail(new HttpError(413, 'PAYLOAD_TOO_LARGE', `field ${p.name} exceeds 64 KiB`));
      p.text!.push(Buffer.from(data));
    }
  }
}
