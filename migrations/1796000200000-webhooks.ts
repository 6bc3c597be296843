import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * Outbound webhooks (DESIGN §11): `webhooks` the subscriptions (secret sealed with the data key, soft-deleted so
 * their delivery history stays readable to the audit), `webhook_events` the outbox written in the transaction of
 * the change it reports, `webhook_deliveries` one event for one subscription (claimed by token, committed before
 * the POST), `webhook_attempts` every POST with its status, latency and a response excerpt.
 */
export class Webhooks1796000200000 implements MigrationInterface {
  name = 'Webhooks1796000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable('webhooks', [
        c.id(),
        c.str('url', 1024),
        c.json('events'),
        c.str('description', 255, { nullable: true }),
        c.text('secret_sealed'),
        c.bool('enabled', { default: true }),
        c.key('created_by', 128, { nullable: true }),
        c.time('deleted_at', { nullable: true }),
        c.time('created_at', { now: true }),
        c.time('updated_at', { now: true }),
      ]),
    );
    await queryRunner.createTable(
      defineTable(
        'webhook_events',
        [c.id(), c.key('event_id', 36), c.key('type', 32), c.time('occurred_at'), c.json('data', { medium: true })],
        { unique: { uq_webhook_events_event_id: ['event_id'] } },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'webhook_deliveries',
        [
          c.id(),
          c.bigint('webhook_id'),
          c.bigint('event_row_id'),
          c.key('status', 16),
          c.int('attempts', { default: 0 }),
          c.time('next_attempt_at'),
          c.time('retry_until'),
          c.time('locked_until', { nullable: true }),
          c.key('claim_token', 24, { nullable: true }),
          c.int('last_status_code', { nullable: true }),
          c.str('last_error', 255, { nullable: true }),
          c.time('delivered_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_webhook_deliveries_event: ['webhook_id', 'event_row_id'] },
          index: {
            idx_webhook_deliveries_due: ['webhook_id', 'status', 'next_attempt_at'],
            idx_webhook_deliveries_lease: ['status', 'locked_until'],
            idx_webhook_deliveries_claim: ['claim_token'],
          },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'webhook_attempts',
        [
          c.id(),
          c.bigint('delivery_id'),
          c.bigint('webhook_id'),
          c.time('attempted_at'),
          c.int('status_code', { nullable: true }),
          c.int('latency_ms'),
          c.bool('ok'),
          c.str('error', 255, { nullable: true }),
          c.text('response_excerpt', { nullable: true }),
        ],
        { index: { idx_webhook_attempts_delivery: ['delivery_id', 'id'] } },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_attempts');
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_events');
    await queryRunner.dropTable('webhooks');
  }
}
