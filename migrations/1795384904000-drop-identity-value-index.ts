import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `idx_identities_value` duplicated the tail of the unique (type, scope, value) key for one reader — customer
 * search by identity value — which now searches per (type, scope) through the unique key. Every identity a
 * sync writes paid for a second random B-tree insert of its value, against DESIGN §9's bound on a full sync
 * relative to a raw single-table upsert.
 */
export class DropIdentityValueIndex1795384904000 implements MigrationInterface {
  name = 'DropIdentityValueIndex1795384904000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('identities', 'idx_identities_value');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'identities',
      new TableIndex({ name: 'idx_identities_value', columnNames: ['value'] }),
    );
  }
}
