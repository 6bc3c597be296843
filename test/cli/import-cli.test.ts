import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { parseArgs } from '../../src/cli/args';
import { importCommand } from '../../src/cli/commands/import.command';
import type { SiyuConfig } from '../../config';
import { select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';

describe('siyu import <file> --kind … --source …', () => {
  const db = useTestDatabase();
  let config: SiyuConfig;
  let dir: string;

  beforeAll(() => {
    config = testConfig(db.url, { sources: [{ id: 'crm', name: '会员CRM' }] });
    dir = mkdtempSync(path.join(tmpdir(), 'siyu-import-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await importCommand(
      parseArgs(argv),
      { out: (t) => out.push(t), err: (t) => err.push(t) },
      () => config,
    );
    return { code, out: out.join(''), err: err.join('') };
  };

  it('prints usage without the file, kind or source, and refuses an unknown source or a bad --map', async () => {
    expect((await run('x.csv', '--kind', 'orders')).code).toBe(2);
    expect((await run('x.csv', '--kind', 'orders', '--source', 'crm', '--map', 'nonsense')).err).toMatch(/col=field/);
    const file = path.join(dir, 'empty.csv');
    writeFileSync(file, 'a\n');
    const unknown = await run(file, '--kind', 'customers', '--source', 'erp');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown source "erp"; configured sources: crm/);
  });

  it('refuses an unknown source before it opens the database, so no database file is made', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, 'crm_id\nc1\n');
    const fresh = path.join(dir, 'never', 'siyu.db');
    const err: string[] = [];
    const code = await importCommand(
      parseArgs([file, '--kind', 'customers', '--source', 'erp']),
      { out: () => undefined, err: (t) => err.push(t) },
      () => testConfig(`sqlite:${fresh}`, { sources: [{ id: 'crm', name: '会员CRM' }] }),
    );
    expect(code).toBe(1);
    expect(err.join('')).toBe('siyu import: unknown source "erp"; configured sources: crm\n');
    expect(existsSync(fresh)).toBe(false);
  });

  it('imports a GBK orders file with a progress bar, then lists the refused row by line', async () => {
    // 会员号,单号,金额,时间 / m1,A1,100,2026-01-01 / m2,A2,x,2026-01-02 — saved by Excel as GBK.
    const gbk = Buffer.concat([
      Buffer.from('bbe1d4b1bac52cb5a5bac52cbdf0b6ee2ccab1bce40d0a', 'hex'),
      Buffer.from('m1,A1,100,2026-01-01\r\nm2,A2,x,2026-01-02\r\n', 'ascii'),
    ]);
    const file = path.join(dir, 'orders.csv');
    writeFileSync(file, gbk);
    const r = await run(
      file,
      '--kind',
      'orders',
      '--source',
      'crm',
      '--map',
      '会员号=identity.external_id,单号=orderNo,金额=amountFen,时间=paidAt',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/orders \|.*\| 100% \| 2 rows, 1 refused/);
    expect(r.err).toContain('line 3: amountFen: expected a whole number of fen');
    expect(JSON.parse(r.out)).toMatchObject({ status: 'done', read: 2, written: 1, failed: 1, fileName: 'orders.csv' });
    const orders = await select<{ out_trade_no: string; source: string }>(
      db.ds,
      'SELECT out_trade_no, source FROM transactions',
    );
    expect(orders).toEqual([{ out_trade_no: 'A1', source: 'crm' }]);
  });
});
