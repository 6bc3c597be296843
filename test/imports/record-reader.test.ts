import { Readable } from 'stream';
import { readRecords, UnreadableFileError, type FileRecord } from '../../src/imports/record-reader';

/** The bytes split into chunks of `size` bytes, as a file stream would hand them over. */
function chunked(bytes: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

async function all(input: Readable, format: 'csv' | 'ndjson'): Promise<FileRecord[]> {
  const out: FileRecord[] = [];
  for await (const r of readRecords(input, format)) out.push(r);
  return out;
}

const CSV =
  '\uFEFFcrm_id,名字,备注\r\n' +
  'c1,张三,"a, b"\r\n' +
  'c2,"李""四""","two\nlines"\r\n' +
  '\r\n' +
  'c3,王五\r\n' +
  'c4,赵六,x';

describe('import file reader', () => {
  it.each([1, 2, 3, 7, 64, 1 << 16])(
    'reads a UTF-8 CSV with a BOM, quotes, CRLF and line breaks inside quotes in chunks of %i bytes',
    async (size) => {
      const rows = await all(chunked(Buffer.from(CSV, 'utf8'), size), 'csv');
      expect(rows).toEqual([
        { line: 2, raw: 'c1,张三,a, b', record: { crm_id: 'c1', 名字: '张三', 备注: 'a, b' } },
        { line: 3, raw: 'c2,李"四",two\nlines', record: { crm_id: 'c2', 名字: '李"四"', 备注: 'two\nlines' } },
        { line: 6, raw: 'c3,王五', error: 'expected 3 columns as in the header, found 2' },
        { line: 7, raw: 'c4,赵六,x', record: { crm_id: 'c4', 名字: '赵六', 备注: 'x' } },
      ]);
    },
  );

  it('converts a GBK file (Excel on a Chinese Windows) instead of garbling it', async () => {
    const gbk = Buffer.from('d0d5c3fb2c69640d0ac0eecbc42c310d0a', 'hex'); // 姓名,id / 李四,1 in GBK
    const rows = await all(chunked(gbk, 5), 'csv');
    expect(rows).toEqual([{ line: 2, raw: '李四,1', record: { 姓名: '李四', id: '1' } }]);
  });

  it('refuses bytes that are neither UTF-8 nor GBK with a clear message', async () => {
    const bad = Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xff, 0xff, 0x0a]);
    await expect(all(chunked(bad, 64), 'csv')).rejects.toThrow(UnreadableFileError);
    await expect(all(chunked(bad, 64), 'csv')).rejects.toThrow(/neither UTF-8 nor GBK/);
  });

  it('reads NDJSON line by line, reporting a bad line without stopping', async () => {
    const text = '{"a":1}\n\nnot json\n[1]\n{"b":"二"}';
    const rows = await all(chunked(Buffer.from(text), 3), 'ndjson');
    expect(rows.map((r) => [r.line, r.record ?? r.error])).toEqual([
      [1, { a: 1 }],
      [3, 'not valid JSON'],
      [4, 'expected a JSON object'],
      [5, { b: '二' }],
    ]);
  });

  it('reports a quoted field that never closes and refuses a file without a header', async () => {
    const rows = await all(chunked(Buffer.from('a,b\n1,"open\n'), 4), 'csv');
    expect(rows).toEqual([expect.objectContaining({ line: 2, error: 'a quoted field is never closed' })]);
    await expect(all(chunked(Buffer.from(''), 4), 'csv')).rejects.toThrow(/empty/);
  });
});
