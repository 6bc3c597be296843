import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * Incremental re-reads: a callback is only a hint, so WeCom add/edit contact events queue an
 * `externalcontact/get` of that relation and OA subscribes a `user/info` of that openid.
 *
 * `pending_key` is `kind|account|subject` while a row waits or runs and NULL once done: the unique key
 * coalesces a burst of hints into one pending read (NULLs never collide, on MySQL and SQLite alike) without
 * stopping a later hint from queueing a new read. `hinted_at` moves on every hint; a worker that sees it moved
 * while it was reading puts the row back instead of finishing it, so no change is lost to an in-flight read.
 */
export class RefreshQueue1795384900000 implements MigrationInterface {
  name = 'RefreshQueue1795384900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'refresh_queue',
        [
          c.id(),
          c.key('kind', 32),
          c.key('account', 64),
          c.key('subject', 128),
          c.key('pending_key', 191, { nullable: true }),
          c.key('status', 16, { default: 'pending' }),
          c.int('attempts', { default: 0 }),
          c.time('next_attempt_at', { now: true }),
          c.time('hinted_at', { now: true }),
          c.key('locked_by', 64, { nullable: true }),
          c.time('locked_until', { nullable: true }),
          c.text('last_error', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
          c.time('done_at', { nullable: true }),
        ],
        {
          unique: { uq_refresh_queue_pending_key: ['pending_key'] },
          index: { idx_refresh_queue_status_next: ['status', 'next_attempt_at'] },
        },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refresh_queue');
  }
}
