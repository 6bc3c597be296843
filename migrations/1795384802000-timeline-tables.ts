import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/** DESIGN §3: the customer timeline, WeChat Pay transactions and their refunds (amounts in fen). */
export class TimelineTables1795384802000 implements MigrationInterface {
  name = 'TimelineTables1795384802000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    // (type, occurred_at, customer_id) also covers segment rules that count events by type in a window.
    await queryRunner.createTable(
      defineTable(
        'events',
        [
          c.id(),
          c.key('customer_id', 36, { nullable: true }),
          c.key('source', 32),
          c.key('account', 64),
          c.key('type', 64),
          c.time('occurred_at'),
          c.json('payload', { nullable: true, medium: true }),
          c.key('dedupe_key', 191, { nullable: true }),
          c.bigint('inbox_id', { nullable: true }),
          c.time('created_at', { now: true }),
        ],
        {
          unique: { uq_events_dedupe_key: ['dedupe_key'] },
          index: {
            idx_events_customer_time: ['customer_id', 'occurred_at'],
            idx_events_type_time: ['type', 'occurred_at', 'customer_id'],
          },
        },
      ),
    );
    // Pay APIv3 transaction resource: out_trade_no is unique per mchid; amount.total / amount.payer_total in fen.
    await queryRunner.createTable(
      defineTable(
        'transactions',
        [
          c.id(),
          c.key('mch_id', 32),
          c.key('app_id', 64, { nullable: true }),
          c.key('out_trade_no', 64),
          c.key('transaction_id', 64, { nullable: true }),
          c.bigint('amount_total', { default: 0 }),
          c.bigint('payer_total', { nullable: true }),
          c.key('currency', 16, { default: 'CNY' }),
          c.key('state', 32),
          c.key('trade_type', 32, { nullable: true }),
          c.key('payer_openid', 64, { nullable: true }),
          c.key('customer_id', 36, { nullable: true }),
          c.time('success_time', { nullable: true }),
          c.bigint('refunded_total', { default: 0 }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_transactions_mch_out_trade_no: ['mch_id', 'out_trade_no'] },
          index: {
            idx_transactions_customer_success: ['customer_id', 'success_time'],
            idx_transactions_transaction_id: ['transaction_id'],
          },
        },
      ),
    );
    // Pay APIv3 refund resource: out_refund_no is unique per mchid.
    await queryRunner.createTable(
      defineTable(
        'refunds',
        [
          c.id(),
          c.key('mch_id', 32),
          c.key('out_refund_no', 64),
          c.key('refund_id', 64, { nullable: true }),
          c.key('out_trade_no', 64),
          c.key('transaction_id', 64, { nullable: true }),
          c.bigint('amount_refund', { default: 0 }),
          c.bigint('amount_total', { nullable: true }),
          c.key('refund_status', 32),
          c.key('customer_id', 36, { nullable: true }),
          c.time('success_time', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_refunds_mch_out_refund_no: ['mch_id', 'out_refund_no'] },
          index: { idx_refunds_trade: ['mch_id', 'out_trade_no'], idx_refunds_customer: ['customer_id'] },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refunds');
    await queryRunner.dropTable('transactions');
    await queryRunner.dropTable('events');
  }
}
