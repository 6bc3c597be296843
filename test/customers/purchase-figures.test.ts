import type { IdentityRef } from '../../connectors/common/identity-types';
import type { PaymentRefunded, PaymentSucceeded } from '../../connectors/common/normalized-event';
import { applyPayment, applyRefund } from '../../src/events/transactions.writer';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import {
  rebuildPurchaseFigures,
  refreshPurchaseFigures,
} from '../../src/storage/customers/purchase-figures.repository';
import { execute, select } from '../../src/storage/sql';
import { figuresDisagreeing, figuresOf } from '../helpers/purchase-figures';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { testDialect } from '../helpers/describe-db';

const APP = 'wxfigures000000001';
const MCH = '1900000109';
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: APP, value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });

const paid = (outTradeNo: string, fen: number, successTime: string, state = 'SUCCESS'): PaymentSucceeded =>
  ({
    kind: 'payment.succeeded',
    appId: APP,
    outTradeNo,
    transactionId: `42000${outTradeNo}`,
    tradeType: 'JSAPI',
    tradeState: state,
    amountTotal: fen,
    payerTotal: fen,
    currency: 'CNY',
    payerOpenid: 'o-payer',
    successTime,
  }) as PaymentSucceeded;

const refund = (outTradeNo: string, fen: number): PaymentRefunded =>
  ({
    kind: 'payment.refunded',
    outTradeNo,
    transactionId: `42000${outTradeNo}`,
    outRefundNo: `R-${outTradeNo}`,
    refundId: `50000${outTradeNo}`,
    refundStatus: 'SUCCESS',
    amountTotal: fen,
    amountRefund: fen,
    successTime: '2026-03-02T10:00:00+08:00',
  }) as PaymentRefunded;

/**
 * Lifetime purchase figures on the customer row (DESIGN §5 RFM): every writer of a purchase keeps them equal to
 * the customer's transactions counted again — payments, refunds, merges and their undo, erasure.
 */
describe('customers.purchase_* figures', () => {
  let db: TestDatabase;
  let t: TestApp;
  let admin: string;
  const now = new Date('2026-04-01T00:00:00Z');
  const resolve = (identities: IdentityRef[]) =>
    retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'figures-test' }));
  const pay = (customerId: string | null, e: PaymentSucceeded) =>
    retryingTransaction(db.ds, (em) => applyPayment(em, MCH, e, customerId, now));

  beforeAll(async () => {
    db = await createTestDatabase();
    const account = { kind: 'official-account', appId: APP, appSecret: 's', token: 't' };
    t = await startTestApp(db.ds, testConfig(db.url, { accounts: [account] }));
    admin = await t.key('admin');
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('counts paid and refunded trades with a success time, not unpaid ones, and follows merges, undo and erasure', async () => {
    const a = (await resolve([oa('o-fig-a')])).customerId!;
    const b = (await resolve([union('u-fig-b')])).customerId!;
    expect(await figuresOf(db.ds, a)).toEqual({ orders: 0, spentFen: 0, lastPurchaseAt: null });

    await pay(a, paid('F1', 19_900, '2026-03-01T10:00:00+08:00'));
    await pay(a, paid('F2', 5_000, '2026-02-01T10:00:00+08:00'));
    await pay(a, paid('F3', 700, '2026-03-20T10:00:00+08:00', 'NOTPAY'));
    // A redelivered notification changes nothing; a refund lowers the spend and keeps the order counted.
    await pay(a, paid('F1', 19_900, '2026-03-01T10:00:00+08:00'));
    await retryingTransaction(db.ds, (em) => applyRefund(em, MCH, refund('F2', 5_000), now));
    expect(await figuresOf(db.ds, a)).toEqual({
      orders: 2,
      spentFen: 19_900,
      lastPurchaseAt: '2026-03-01T02:00:00.000Z',
    });
    await pay(b, paid('F4', 1_000, '2026-03-10T10:00:00+08:00'));

    const merged = await resolve([oa('o-fig-a'), union('u-fig-b')]);
    const survivor = merged.customerId!;
    const gone = survivor === a ? b : a;
    expect(await figuresOf(db.ds, survivor)).toEqual({
      orders: 3,
      spentFen: 20_900,
      lastPurchaseAt: '2026-03-10T02:00:00.000Z',
    });
    expect(await figuresOf(db.ds, gone)).toMatchObject({ orders: 0, spentFen: 0 });

    const undo = await t.request(`/api/v1/merges/${merged.merges[0]}/undo`, { method: 'POST', key: admin });
    expect(undo.status).toBe(200);
    expect(await figuresOf(db.ds, a)).toMatchObject({ orders: 2, spentFen: 19_900 });
    expect(await figuresOf(db.ds, b)).toMatchObject({ orders: 1, spentFen: 1_000 });
    expect(await figuresDisagreeing(db.ds)).toEqual([]);

    expect((await t.request(`/api/v1/customers/${a}`, { method: 'DELETE', key: admin })).status).toBe(200);
    expect(await figuresOf(db.ds, a)).toEqual({ orders: 0, spentFen: 0, lastPurchaseAt: null });
    expect(await figuresDisagreeing(db.ds)).toEqual([]);
  });

  it('rebuilds every customer from the transactions, as the migration does for rows stored before the figures', async () => {
    const c = (await resolve([oa('o-fig-c')])).customerId!;
    await execute(
      db.ds,
      "INSERT INTO transactions (mch_id, out_trade_no, amount_total, refunded_total, state, customer_id, success_time, created_at, updated_at) VALUES ('crm', 'C1', 3000, 0, 'SUCCESS', ?, '2026-01-05 00:00:00.000', '2026-01-05 00:00:00.000', '2026-01-05 00:00:00.000')",
      [c],
    );
    expect(await figuresDisagreeing(db.ds)).toEqual([c]);
    await rebuildPurchaseFigures(db.ds);
    expect(await figuresDisagreeing(db.ds)).toEqual([]);
    expect(await figuresOf(db.ds, c)).toEqual({
      orders: 1,
      spentFen: 3000,
      lastPurchaseAt: '2026-01-05T00:00:00.000Z',
    });
  });

  (testDialect === 'mysql' ? it : it.skip)(
    'two writers adding purchases of one person at once both count: the second counts after the first commits',
    async () => {
      const c = (await resolve([oa('o-fig-race')])).customerId!;
      const first = db.ds.createQueryRunner();
      const second = db.ds.createQueryRunner();
      await first.connect();
      await second.connect();
      try {
        await first.startTransaction();
        await second.startTransaction();
        const insert = (n: string) =>
          `INSERT INTO transactions (mch_id, out_trade_no, amount_total, refunded_total, state, customer_id, success_time, created_at, updated_at) VALUES ('m', '${n}', 100, 0, 'SUCCESS', ?, '2026-01-05 00:00:00.000', '2026-01-05 00:00:00.000', '2026-01-05 00:00:00.000')`;
        const [me] = await select<{ id: unknown }>(second.manager, 'SELECT CONNECTION_ID() AS id');
        await execute(first.manager, insert('race-1'), [c]);
        await refreshPurchaseFigures(first.manager, [c]);
        await execute(second.manager, insert('race-2'), [c]);
        const secondDone = refreshPurchaseFigures(second.manager, [c]);
        secondDone.catch(() => undefined); // awaited below; a rejection must not surface before then
        // The second writer's lock waits on the first transaction; commit only once it is waiting. InnoDB refills
        // INNODB_TRX only after 100 ms without a read of it, so the poll rests between reads.
        for (;;) {
          const [w] = await select<{ n: unknown }>(
            db.ds,
            "SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id = ?",
            [me!.id],
          );
          if (Number(w!.n) > 0) break;
          await new Promise((r) => setTimeout(r, 150));
        }
        await first.commitTransaction();
        await secondDone;
        await second.commitTransaction();
      } finally {
        await first.release();
        await second.release();
      }
      expect(await figuresOf(db.ds, c)).toMatchObject({ orders: 2, spentFen: 200 });
    },
  );
});
