import { connect } from 'net';
import type { CorpusContext, RawCase } from './corpus-types';
import { plainQuery, qs } from './corpus-types';
import { OA_PLAIN, PAY } from './hostile-world';

/**
 * HTTP framing a fetch client never produces, written byte for byte to a socket: Content-Length lies,
 * chunked garbage, conflicting framing headers, oversized heads. node's parser answers most of them itself
 * (400/413/431); the rest reach the routes with a body that does not match what was declared.
 */
function raw(name: string, head: string, body: string | Buffer = ''): RawCase {
  return {
    kind: 'raw',
    name: `framing: ${name}`,
    bytes: Buffer.concat([
      Buffer.from(head.replace(/\n/g, '\r\n'), 'latin1'),
      Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
    ]),
  };
}

export function framingCases(ctx: CorpusContext): RawCase[] {
  const oa = `/wechat/official-account/${OA_PLAIN.appId}?${qs(plainQuery(OA_PLAIN.token, String(ctx.now)))}`;
  const body = '<xml><ToUserName>gh_h0571e000001</ToUserName></xml>';
  const out: RawCase[] = [];
  for (const [label, path, type] of [
    ['OA', oa, 'text/xml'],
    ['Pay', `/wechat/pay/${PAY.mchId}`, 'application/json'],
    ['track', '/track', 'application/json'],
    ['MP login', `/mp/${ctx.world.loginAppId}/login`, 'application/json'],
  ] as const) {
    const start = (extra: string) => `POST ${path} HTTP/1.1\nHost: 127.0.0.1\nContent-Type: ${type}\n${extra}\n`;
    out.push(
      raw(`${label}: Content-Length larger than the body`, start(`Content-Length: ${body.length + 100}\n`), body),
      raw(
        `${label}: Content-Length smaller than the body (rest pipelined as garbage)`,
        start('Content-Length: 5\n'),
        body,
      ),
      raw(
        `${label}: Content-Length and chunked together`,
        start(`Content-Length: 4\nTransfer-Encoding: chunked\n`),
        `4\r\nabcd\r\n0\r\n\r\n`,
      ),
      raw(`${label}: chunk size that is not hex`, start('Transfer-Encoding: chunked\n'), 'zz\r\nabc\r\n0\r\n\r\n'),
      raw(
        `${label}: chunk size overflowing 64 bits`,
        start('Transfer-Encoding: chunked\n'),
        'FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n',
      ),
      raw(`${label}: chunked body truncated`, start('Transfer-Encoding: chunked\n'), '10\r\nabc'),
      raw(
        `${label}: chunked body past the size limit`,
        start('Transfer-Encoding: chunked\n'),
        Buffer.concat([
          ...Array.from({ length: 70 }, () => Buffer.from(`1000\r\n${'x'.repeat(4096)}\r\n`)),
          Buffer.from('0\r\n\r\n'),
        ]),
      ),
      raw(`${label}: negative Content-Length`, start('Content-Length: -1\n'), body),
      raw(
        `${label}: two different Content-Lengths`,
        start(`Content-Length: 5\nContent-Length: ${body.length}\n`),
        body,
      ),
      raw(`${label}: Content-Length not a number`, start('Content-Length: abc\n'), body),
      raw(`${label}: Content-Length of 2^64`, start('Content-Length: 18446744073709551616\n'), body),
      raw(`${label}: Content-Length past maxBodyBytes`, start('Content-Length: 99999999\n'), body),
      raw(`${label}: Transfer-Encoding unknown`, start('Transfer-Encoding: gzip, identity\n'), body),
    );
  }
  out.push(
    raw('request line garbage', 'GARBAGE\n\n'),
    raw('HTTP/0.9 request line', `GET /wechat/pay/${PAY.mchId}\n\n`),
    raw('header line without a colon', `POST ${oa} HTTP/1.1\nHost: x\nThis is not a header\nContent-Length: 0\n\n`),
    raw(
      'obsolete line folding',
      `POST ${oa} HTTP/1.1\nHost: x\nContent-Type: text/xml\n continued\nContent-Length: 0\n\n`,
    ),
    raw('NUL in a header value', `POST ${oa} HTTP/1.1\nHost: x\nX-A: a\u0000b\nContent-Length: 0\n\n`),
    raw('header section of 40 KB', `GET /healthz HTTP/1.1\nHost: x\nX-Big: ${'a'.repeat(40_000)}\n\n`),
    raw(
      'bare LF line endings with a body',
      '',
      Buffer.from(`POST ${oa} HTTP/1.1\nHost: x\nContent-Length: 3\n\nabc`, 'latin1'),
    ),
    raw(
      'Expect: 100-continue then nothing',
      `POST ${oa} HTTP/1.1\nHost: x\nExpect: 100-continue\nContent-Length: 1000\n\n`,
    ),
    raw(
      'absolute-form target for another host',
      `POST http://evil.example${oa} HTTP/1.1\nHost: evil.example\nContent-Length: 0\n\n`,
    ),
    raw('method of 1 KB', `${'P'.repeat(1024)} / HTTP/1.1\nHost: x\n\n`),
  );
  return out;
}

export interface RawReply {
  /** Every status code the server wrote on this connection. */
  statuses: number[];
  text: string;
}

/**
 * Writes the bytes, half-closes, and reads until the server closes the connection. A server that keeps the
 * connection open after the client finished would hang here: the test's own timeout then fails the case.
 */
export function sendRaw(port: number, bytes: Buffer): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      socket.write(bytes);
      socket.end();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A server that resets after answering an oversized request is fine: what it wrote is what counts.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return;
      reject(e);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, text });
    });
  });
}
