import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import {
  CustomerTagEntity,
  EventEntity,
  IdentityEntity,
  InboxEntity,
  RefundEntity,
  TransactionEntity,
  WecomFollowEntity,
} from '../../src/storage/entities';
import { isDuplicateKeyError } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';

/** Inserts `a` then `b` (fresh copies: TypeORM writes the generated id back into inserted objects). */
async function expectDuplicate<T extends ObjectLiteral>(
  ds: DataSource,
  entity: EntityTarget<T>,
  a: Partial<T>,
  b: Partial<T>,
): Promise<void> {
  const repo = ds.getRepository(entity);
  await repo.insert({ ...a } as T);
  const err = await repo.insert({ ...b } as T).catch((e: unknown) => e);
  expect(isDuplicateKeyError(err)).toBe(true);
  expect(String((err as Error).message)).not.toMatch(/PRIMARY|\.id\b/);
}

describe('unique keys', () => {
  const db = useTestDatabase();

  it('identities: one customer per (type, scope, value)', async () => {
    const v = { type: 'unionid' as const, scope: 'default', value: 'u-1' };
    await expectDuplicate(db.ds, IdentityEntity, { ...v, customerId: 'c1' }, { ...v, customerId: 'c2' });
    // the same value under another scope or type is another identity
    await db.ds.getRepository(IdentityEntity).insert({ ...v, scope: 'open-platform-2', customerId: 'c2' });
    await db.ds.getRepository(IdentityEntity).insert({ ...v, type: 'oa_openid', scope: 'default', customerId: 'c2' });
  });

  it('inbox: one row per dedupe_key', async () => {
    const r = { account: 'wxapp1', channel: 'official-account', kind: 'event', raw: '<xml/>' };
    await expectDuplicate(
      db.ds,
      InboxEntity,
      { ...r, dedupeKey: 'oUser|1700000000|subscribe|' },
      { ...r, dedupeKey: 'oUser|1700000000|subscribe|' },
    );
  });

  it('transactions: out_trade_no is unique per mchid only', async () => {
    const t = { outTradeNo: 'ORDER-1', state: 'SUCCESS', amountTotal: 100 };
    await expectDuplicate(
      db.ds,
      TransactionEntity,
      { ...t, mchId: '1900000001' },
      { ...t, mchId: '1900000001', transactionId: 'x' },
    );
    await db.ds.getRepository(TransactionEntity).insert({ ...t, mchId: '1900000002' });
  });

  it('refunds, events, follows and customer tags reject duplicates', async () => {
    await expectDuplicate(
      db.ds,
      RefundEntity,
      { mchId: 'm', outRefundNo: 'R1', outTradeNo: 'O1', refundStatus: 'SUCCESS' },
      { mchId: 'm', outRefundNo: 'R1', outTradeNo: 'O2', refundStatus: 'SUCCESS' },
    );
    const e = {
      source: 'official-account',
      account: 'wxapp1',
      type: 'message.text',
      occurredAt: new Date(),
      dedupeKey: 'msg:1',
    };
    await expectDuplicate(db.ds, EventEntity, e, e);
    const f = { corpId: 'ww1', staffUserid: 'zhangsan', externalUserid: 'wmABC' };
    await expectDuplicate(db.ds, WecomFollowEntity, f, f);
    const ct = { customerId: 'c1', tagId: '1', source: 'manual' as const };
    await expectDuplicate(db.ds, CustomerTagEntity, ct, ct);
    await db.ds.getRepository(CustomerTagEntity).insert({ customerId: 'c1', tagId: '1', source: 'rule' });
  });
});
