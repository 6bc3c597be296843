import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * DESIGN §6: the durable inbox (acked callbacks before processing), the outbox (pushes to WeChat), shared
 * tokens, full-sync checkpoints and bulk jobs. Queue tables carry `locked_by`/`locked_until` so several
 * instances can claim rows (`FOR UPDATE SKIP LOCKED` on MySQL) and a crashed claimer's rows come back.
 */
export class PipelineTables1795384803000 implements MigrationInterface {
  name = 'PipelineTables1795384803000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    const claim = [c.key('locked_by', 64, { nullable: true }), c.time('locked_until', { nullable: true })];
    await queryRunner.createTable(
      defineTable(
        'inbox',
        [
          c.id(),
          c.key('account', 64),
          c.key('channel', 32),
          c.key('kind', 64),
          c.key('dedupe_key', 191),
          c.text('raw', { medium: true }),
          c.json('events', { nullable: true, medium: true }),
          c.key('status', 16, { default: 'pending' }),
          c.int('attempts', { default: 0 }),
          c.time('next_attempt_at', { now: true }),
          ...claim,
          c.text('error', { nullable: true }),
          c.time('received_at', { now: true }),
          c.time('processed_at', { nullable: true }),
        ],
        {
          unique: { uq_inbox_dedupe_key: ['dedupe_key'] },
          index: { idx_inbox_status_next: ['status', 'next_attempt_at'] },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'outbox',
        [
          c.id(),
          c.key('channel', 16),
          c.key('account', 64),
          c.key('op_key', 191),
          c.json('payload', { medium: true }),
          c.key('status', 16, { default: 'pending' }),
          c.int('attempts', { default: 0 }),
          c.time('next_attempt_at', { now: true }),
          c.int('last_errcode', { nullable: true }),
          c.text('last_error', { nullable: true }),
          c.bigint('tag_id', { nullable: true }),
          ...claim,
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          index: {
            idx_outbox_status_next: ['status', 'next_attempt_at'],
            idx_outbox_op_key_status: ['op_key', 'status'],
            idx_outbox_tag_status: ['tag_id', 'status'],
          },
        },
      ),
    );
    // `token_key` tells apart tokens of one account that use different secrets (WeCom contact vs agent secret).
    await queryRunner.createTable(
      defineTable(
        'access_tokens',
        [
          c.id(),
          c.key('account', 64),
          c.key('kind', 32),
          c.key('token_key', 64, { default: '' }),
          c.text('value'),
          c.time('expires_at'),
          c.time('refreshed_at', { now: true }),
          c.int('version', { default: 1 }),
        ],
        { unique: { uq_access_tokens_account_kind_key: ['account', 'kind', 'token_key'] } },
      ),
    );
    // `checkpoint` (not `cursor`, a reserved word in MySQL) holds the resume point saved after every page.
    await queryRunner.createTable(
      defineTable(
        'sync_runs',
        [
          c.id(),
          c.key('account', 64),
          c.key('resource', 32),
          c.key('status', 16, { default: 'running' }),
          c.text('checkpoint', { nullable: true }),
          c.bigint('processed', { default: 0 }),
          c.bigint('total', { nullable: true }),
          c.bigint('created', { default: 0 }),
          c.bigint('updated', { default: 0 }),
          c.str('triggered_by', 128, { nullable: true }),
          c.time('started_at', { now: true }),
          c.time('heartbeat_at', { nullable: true }),
          c.time('finished_at', { nullable: true }),
          c.text('error', { nullable: true }),
          c.key('locked_by', 64, { nullable: true }),
        ],
        { index: { idx_sync_runs_account_resource_status: ['account', 'resource', 'status'] } },
      ),
    );
    // Long-running API operations that answer `{ jobId }` (bulk tag assign/unassign, segment runs).
    await queryRunner.createTable(
      defineTable(
        'bulk_jobs',
        [
          c.id(),
          c.key('kind', 64),
          c.key('status', 16, { default: 'queued' }),
          c.json('params', { nullable: true, medium: true }),
          c.json('result', { nullable: true }),
          c.bigint('processed', { default: 0 }),
          c.bigint('total', { nullable: true }),
          c.text('error', { nullable: true }),
          c.str('created_by', 128, { nullable: true }),
          ...claim,
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
          c.time('finished_at', { nullable: true }),
        ],
        { index: { idx_bulk_jobs_status: ['status', 'created_at'] } },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['bulk_jobs', 'sync_runs', 'access_tokens', 'outbox', 'inbox']) await queryRunner.dropTable(t);
  }
}
