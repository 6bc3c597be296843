import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/** DESIGN §7: hashed API keys with a role, and the audit log of who did what. */
export class AccessTables1795384805000 implements MigrationInterface {
  name = 'AccessTables1795384805000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'api_keys',
        [
          c.id(),
          c.str('name', 128),
          c.key('role', 16),
          c.key('key_hash', 64),
          c.key('prefix', 16),
          c.time('created_at', { now: true }),
          c.time('last_used_at', { nullable: true }),
          c.time('revoked_at', { nullable: true }),
        ],
        { unique: { uq_api_keys_key_hash: ['key_hash'] }, index: { idx_api_keys_name: ['name'] } },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'audit_log',
        [
          c.id(),
          c.str('actor', 128),
          c.key('role', 16, { nullable: true }),
          c.key('action', 64),
          c.key('target_type', 32, { nullable: true }),
          c.key('target_id', 64, { nullable: true }),
          c.json('details', { nullable: true }),
          c.time('created_at', { now: true }),
        ],
        { index: { idx_audit_log_created_at: ['created_at'], idx_audit_log_target: ['target_type', 'target_id'] } },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log');
    await queryRunner.dropTable('api_keys');
  }
}
