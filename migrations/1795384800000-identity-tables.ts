import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/** DESIGN §3–§4, §7: unified customers, their identities, link evidence, merges, refused links, erasure tombstones. */
export class IdentityTables1795384800000 implements MigrationInterface {
  name = 'IdentityTables1795384800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    // customers.id is a client-generated UUIDv7: identity resolution and bulk syncs create a customer and its
    // identities in one batch without reading back an auto-increment id; time-ordered so InnoDB appends.
    await queryRunner.createTable(
      defineTable(
        'customers',
        [
          c.key('id', 36, { primary: true }),
          c.key('status', 16, { default: 'active' }),
          c.key('merged_into_id', 36, { nullable: true }),
          c.str('display_name', 128, { nullable: true }),
          c.str('avatar_url', 512, { nullable: true }),
          c.key('phone_enc', 255, { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          index: {
            idx_customers_status: ['status'],
            idx_customers_merged_into: ['merged_into_id'],
            idx_customers_updated_at: ['updated_at'],
          },
        },
      ),
    );
    // Phone identities keep the keyed hash in `value` (lookups) and the AES-GCM ciphertext in `value_enc`.
    await queryRunner.createTable(
      defineTable(
        'identities',
        [
          c.id(),
          c.key('customer_id', 36),
          c.key('type', 32),
          c.key('scope', 64),
          c.key('value', 128),
          c.key('value_enc', 255, { nullable: true }),
          c.key('source', 64, { nullable: true }),
          c.bool('verified', { default: false }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        {
          unique: { uq_identities_type_scope_value: ['type', 'scope', 'value'] },
          index: { idx_identities_customer: ['customer_id'], idx_identities_value: ['value'] },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'identity_links',
        [
          c.id(),
          c.key('customer_id', 36),
          c.bigint('identity_id'),
          c.key('source', 64),
          c.bigint('inbox_id', { nullable: true }),
          c.bigint('event_id', { nullable: true }),
          c.bigint('sync_run_id', { nullable: true }),
          c.time('created_at', { now: true }),
        ],
        { index: { idx_identity_links_customer: ['customer_id'], idx_identity_links_identity: ['identity_id'] } },
      ),
    );
    // Append-only; `moved` lists the ids of every row a merge moved so the merge can be undone.
    await queryRunner.createTable(
      defineTable(
        'merge_log',
        [
          c.id(),
          c.key('survivor_id', 36),
          c.key('merged_id', 36),
          c.key('reason', 64),
          c.json('evidence', { nullable: true }),
          c.json('moved', { medium: true }),
          c.time('undone_at', { nullable: true }),
          c.str('undone_by', 128, { nullable: true }),
          c.time('created_at', { now: true }),
        ],
        {
          index: {
            idx_merge_log_survivor: ['survivor_id'],
            idx_merge_log_merged: ['merged_id'],
            idx_merge_log_created_at: ['created_at'],
          },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'identity_conflicts',
        [
          c.id(),
          c.key('type', 32),
          c.key('scope', 64),
          c.key('existing_value', 128),
          c.key('refused_value', 128),
          c.key('customer_id', 36),
          c.key('other_customer_id', 36, { nullable: true }),
          c.json('evidence', { nullable: true }),
          c.bool('resolved', { default: false }),
          c.time('created_at', { now: true }),
        ],
        {
          index: {
            idx_identity_conflicts_customer: ['customer_id'],
            idx_identity_conflicts_resolved: ['resolved', 'created_at'],
          },
        },
      ),
    );
    // DESIGN §7: keyed hashes of an erased person's identities so a replayed callback does not re-create them.
    await queryRunner.createTable(
      defineTable(
        'erasure_tombstones',
        [
          c.id(),
          c.key('identity_hash', 64),
          c.key('identity_type', 32),
          c.key('customer_id', 36),
          c.time('created_at', { now: true }),
        ],
        { unique: { uq_erasure_tombstones_hash: ['identity_hash'] } },
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of [
      'erasure_tombstones',
      'identity_conflicts',
      'merge_log',
      'identity_links',
      'identities',
      'customers',
    ]) {
      await queryRunner.dropTable(t);
    }
  }
}
