import { PhoneCrypto } from '../../src/security/phone-crypto';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/** Splits one CSV document into rows of fields (RFC 4180 quoting, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('customer and segment exports', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let admin: string;
  let operator: string;
  let viewer: string;
  let ids: string[];
  let star: string;
  let vipTag: string;

  beforeAll(async () => {
    const config = testConfig(db.url);
    t = await startTestApp(db.ds, config);
    admin = await t.key('admin');
    operator = await t.key('operator');
    viewer = await t.key('viewer');
    ids = await retryingTransaction(db.ds, async (em) => {
      const out: string[] = [];
      for (let i = 0; i < 620; i++) {
        const r = await t.app.identity.resolve(em, {
          identities: [{ type: 'oa_openid', scope: 'wxexport', value: `o-export-${i}` }],
          source: 'test',
          profile: { displayName: `客户${i}` },
        });
        out.push(r.customerId!);
      }
      return out;
    });
    star = ids[7]!;
    const phones = new PhoneCrypto(config.security.dataKey);
    await db.ds.query('UPDATE customers SET phone_enc = ?, display_name = ? WHERE id = ?', [
      phones.encrypt('13800138000'),
      '王小明, "VIP"',
      star,
    ]);
    await db.ds.query(
      `INSERT INTO transactions (mch_id, out_trade_no, amount_total, currency, state, customer_id, success_time, refunded_total, created_at, updated_at)
        VALUES ('mch1', 'T1', 12800, 'CNY', 'SUCCESS', ?, '2026-01-02 03:04:05.000', 800, '2026-01-02 03:04:05.000', '2026-01-02 03:04:05.000')`,
      [star],
    );
    const field = await t.request('/api/v1/attributes', {
      method: 'POST',
      key: admin,
      json: { key: 'city', label: { 'zh-CN': '城市', en: 'City' }, type: 'text' },
    });
    expect(field.status).toBe(201);
    expect(
      (
        await t.request(`/api/v1/customers/${star}/attributes`, {
          method: 'PATCH',
          key: operator,
          json: { city: '上海' },
        })
      ).status,
    ).toBe(200);
    vipTag = (await t.request('/api/v1/tags', { method: 'POST', key: admin, json: { name: '高价值' } })).body.id;
    await t.request(`/api/v1/tags/${vipTag}/assign`, {
      method: 'POST',
      key: operator,
      json: { customerIds: [star, ids[8]] },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses viewers and an unknown format', async () => {
    expect((await t.request('/api/v1/customers/export', { key: viewer })).status).toBe(403);
    const bad = await t.request('/api/v1/customers/export?format=xlsx', { key: operator });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    expect((await t.request('/api/v1/segments/999/export', { key: operator })).status).toBe(404);
  });

  it('streams every customer as CSV with a BOM, Chinese intact and the phone masked for operators', async () => {
    const res = await t.request('/api/v1/customers/export?format=csv', { key: operator });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="customers-\d{8}\.csv"$/);
    const raw = Buffer.from(
      await (
        await fetch(`${t.url}/api/v1/customers/export`, {
          headers: { authorization: `Bearer ${operator}` },
        })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(res.text.replace(/^\ufeff/, ''));
    const header = rows[0]!;
    expect(header).toEqual([
      'id',
      'name',
      'displayName',
      'phone',
      'createdAt',
      'identities',
      'tags',
      'orders',
      'totalSpentFen',
      'totalRefundedFen',
      'lastPurchaseAt',
      'attribute.city',
    ]);
    expect(rows).toHaveLength(ids.length + 1);
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(ids));
    const col = (r: string[], name: string) => r[header.indexOf(name)];
    const row = rows.find((r) => r[0] === star)!;
    expect(col(row, 'displayName')).toBe('王小明, "VIP"');
    expect(col(row, 'phone')).toBe('138****8000');
    expect(col(row, 'identities')).toBe('oa_openid:wxexport:o-export-7');
    expect(col(row, 'tags')).toBe('高价值');
    expect([col(row, 'orders'), col(row, 'totalSpentFen'), col(row, 'totalRefundedFen')]).toEqual([
      '1',
      '12000',
      '800',
    ]);
    expect(col(row, 'lastPurchaseAt')).toBe('2026-01-02T03:04:05.000Z');
    expect(col(row, 'attribute.city')).toBe('上海');
    expect(
      col(
        rows.find((r) => r[0] === ids[9])!,
        'displayName',
      ),
    ).toBe('客户9');
  });

  it('shows phones to admins, narrows by the list filters, and writes NDJSON', async () => {
    const res = await t.request(`/api/v1/customers/export?format=ndjson&tag=${vipTag}`, { key: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id).sort()).toEqual([star, ids[8]].sort());
    expect(lines.find((l) => l.id === star)).toMatchObject({
      phone: '13800138000',
      attributes: { city: '上海' },
      tags: [{ id: vipTag, name: '高价值', source: 'manual' }],
      rfm: { orders: 1, totalSpentFen: 12000, totalRefundedFen: 800 },
    });
  });

  it("exports a segment's members and audits every export", async () => {
    const tag = (await t.request('/api/v1/tags', { method: 'POST', key: admin, json: { name: '高价值人群' } })).body;
    const segment = await t.request('/api/v1/segments', {
      method: 'POST',
      key: operator,
      json: { name: '高价值客户', tagId: tag.id, rule: { type: 'tag', tagId: vipTag } },
    });
    expect((await t.request(`/api/v1/segments/${segment.body.id}/run`, { method: 'POST', key: operator })).status).toBe(
      200,
    );
    const res = await t.request(`/api/v1/segments/${segment.body.id}/export`, { key: operator });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`segment-${segment.body.id}-`);
    const rows = parseCsv(res.text.replace(/^\ufeff/, '')).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual([star, ids[8]].sort());
    expect(rows.find((r) => r[0] === star)![6]).toBe('高价值; 高价值人群');

    const audit = await select(
      db.ds,
      "SELECT actor, target_type, target_id FROM audit_log WHERE action = 'customers.export'",
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target_type: 'customers' }),
        expect.objectContaining({ target_type: 'segment', target_id: segment.body.id }),
      ]),
    );
  });
});
