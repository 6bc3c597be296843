import mysql2 from 'mysql2/promise';
import { uuidv7 } from '../../src/storage/ids';

export const LOOKUP_APP = 'wxbench00000000001';
export const LOOKUP_OPEN_PLATFORM = 'op_bench';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
const GIVEN = '伟芳娜敏静丽强磊洋艳勇军杰娟涛明超霞平刚';

export interface Sample {
  id: string;
  openid: string;
}

export const openidOf = (i: number) => `oBench${i.toString(36).padStart(22, '0')}`;
const unionidOf = (i: number) => `uBench${i.toString(36).padStart(22, '0')}`;
const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/**
 * Writes `n` customers straight into a migrated database, shaped like a synced brand: each with an OA openid and a
 * unionid and a subscription; every third followed on WeCom; every tenth with timeline events; every twentieth
 * with two payments. Returns every 100th customer as the lookup sample.
 */
export async function seedCustomers(url: string, n: number, log: (s: string) => void): Promise<Sample[]> {
  const conn = await mysql2.createConnection({ uri: url, timezone: 'Z' });
  const sample: Sample[] = [];
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    if (rows.length === 0) return;
    await conn.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows]);
  };
  try {
    const started = Date.now();
    const base = Date.now() - n * 10;
    for (let from = 0; from < n; from += 2000) {
      const customers: unknown[][] = [];
      const identities: unknown[][] = [];
      const subs: unknown[][] = [];
      const follows: unknown[][] = [];
      const events: unknown[][] = [];
      const payments: unknown[][] = [];
      for (let i = from; i < Math.min(n, from + 2000); i++) {
        const t = base + i * 10;
        const id = uuidv7(t);
        const created = at(t);
        customers.push([id, 'active', SURNAMES[i % 20]! + GIVEN[(i >> 3) % 20]!, created, created]);
        identities.push(
          [id, 'oa_openid', LOOKUP_APP, openidOf(i), 'bench', 0, created, created],
          [id, 'unionid', LOOKUP_OPEN_PLATFORM, unionidOf(i), 'bench', 0, created, created],
        );
        subs.push([LOOKUP_APP, openidOf(i), id, 1, created, 'ADD_SCENE_SEARCH', created, created]);
        if (i % 3 === 0)
          follows.push([
            'wwbench',
            `staff${i % 50}`,
            `wmBench${i.toString(36).padStart(22, '0')}`,
            id,
            `客户${i}`,
            1,
            created,
            0,
            '[]',
            created,
            created,
          ]);
        if (i % 10 === 0)
          for (let k = 0; k < 5; k++)
            events.push([
              id,
              'official-account',
              LOOKUP_APP,
              'oa.message.text',
              at(t + k),
              JSON.stringify({ content: `hello ${k}` }),
              `bench:${i}:${k}`,
              created,
            ]);
        if (i % 20 === 0)
          for (let k = 0; k < 2; k++)
            payments.push([
              '1900000001',
              LOOKUP_APP,
              `T${i}-${k}`,
              `42000${i}${k}`,
              1000 + k * 500,
              'SUCCESS',
              openidOf(i),
              id,
              at(t + k),
              created,
              created,
            ]);
        if (i % 100 === 0) sample.push({ id, openid: openidOf(i) });
      }
      await conn.beginTransaction();
      await insert('customers', ['id', 'status', 'display_name', 'created_at', 'updated_at'], customers);
      await insert(
        'identities',
        ['customer_id', 'type', 'scope', 'value', 'source', 'verified', 'created_at', 'updated_at'],
        identities,
      );
      await insert(
        'oa_subscriptions',
        ['app_id', 'openid', 'customer_id', 'subscribed', 'subscribe_time', 'scene', 'created_at', 'updated_at'],
        subs,
      );
      await insert(
        'wecom_follows',
        [
          'corp_id',
          'staff_userid',
          'external_userid',
          'customer_id',
          'remark',
          'add_way',
          'created_time',
          'deleted',
          'tags',
          'created_at',
          'updated_at',
        ],
        follows,
      );
      await insert(
        'events',
        ['customer_id', 'source', 'account', 'type', 'occurred_at', 'payload', 'dedupe_key', 'created_at'],
        events,
      );
      await insert(
        'transactions',
        [
          'mch_id',
          'app_id',
          'out_trade_no',
          'transaction_id',
          'amount_total',
          'state',
          'payer_openid',
          'customer_id',
          'success_time',
          'created_at',
          'updated_at',
        ],
        payments,
      );
      await conn.commit();
      if ((from / 2000) % 50 === 49)
        log(
          `  seeded ${(from + 2000).toLocaleString('en')} customers (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
    }
    return sample;
  } finally {
    await conn.end();
  }
}
