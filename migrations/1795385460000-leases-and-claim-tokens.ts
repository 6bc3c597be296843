import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * Coordination through rows (DESIGN §3). `leases`: one row per named once-only task (token refresh, …) with
 * its current holder, expiry and a fence number that grows with every acquisition. `claim_token` on the inbox
 * and the refresh queue: each claim marks its rows with a fresh token and reads them back by it, which is what
 * lets one atomic `UPDATE … LIMIT n` claim rows on servers without SKIP LOCKED (TiDB).
 */
export class LeasesAndClaimTokens1795385460000 implements MigrationInterface {
  name = 'LeasesAndClaimTokens1795385460000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable('leases', [
        c.key('name', 191, { primary: true }),
        c.key('holder', 64, { nullable: true }),
        c.bigint('fence', { default: 0 }),
        c.time('expires_at', { nullable: true }),
        c.time('updated_at', { now: true }),
      ]),
    );
    for (const table of ['inbox', 'refresh_queue']) {
      await queryRunner.addColumn(table, new TableColumn(c.key('claim_token', 32, { nullable: true })));
      await queryRunner.createIndex(
        table,
        new TableIndex({ name: `idx_${table}_claim_token`, columnNames: ['claim_token'] }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['refresh_queue', 'inbox']) {
      await queryRunner.dropIndex(table, `idx_${table}_claim_token`);
      await queryRunner.dropColumn(table, 'claim_token');
    }
    await queryRunner.dropTable('leases');
  }
}
