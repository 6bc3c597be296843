import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * H5 OAuth `state` values already consumed, shared by every instance (DESIGN §7: single-use state),
 * kept until the state's own expiry; the unique key makes "consume" one atomic insert.
 */
export class OauthUsedStates1795385100000 implements MigrationInterface {
  name = 'OauthUsedStates1795385100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable('oauth_used_states', [c.id(), c.key('state', 64), c.time('expires_at')], {
        unique: { uq_oauth_used_states_state: ['state'] },
        index: { idx_oauth_used_states_expires: ['expires_at'] },
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oauth_used_states');
  }
}
