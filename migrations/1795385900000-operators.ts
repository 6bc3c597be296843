import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes, defineTable } from './column-types';

/**
 * People who sign in to the console (DESIGN §7.1): `operators` (a WeCom member by corp and userid, or a local
 * account by login with an scrypt hash), `console_sessions` (the server side of the `siyu_console` cookie, so
 * logout and disabling end a session at once) and `console_login_failures` (password guesses per login, known or
 * not, for the 5-in-15-minutes lock).
 */
export class Operators1795385900000 implements MigrationInterface {
  name = 'Operators1795385900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnTypes(queryRunner);
    await queryRunner.createTable(
      defineTable(
        'operators',
        [
          c.id(),
          c.key('corp_id', 64, { nullable: true }),
          c.key('userid', 64, { nullable: true }),
          c.key('login', 64, { nullable: true }),
          c.str('name', 128),
          c.key('role', 16),
          c.bool('enabled', { default: true }),
          c.key('password_hash', 160, { nullable: true }),
          c.time('last_sign_in_at', { nullable: true }),
          c.time('created_at', { now: true }),
          c.time('updated_at', { now: true }),
        ],
        { unique: { uq_operators_member: ['corp_id', 'userid'], uq_operators_login: ['login'] } },
      ),
    );
    await queryRunner.createTable(
      defineTable(
        'console_sessions',
        [
          c.id(),
          c.key('token_hash', 64),
          c.bigint('operator_id'),
          c.key('method', 16),
          c.time('created_at', { now: true }),
          c.time('last_seen_at'),
          c.time('expires_at'),
          c.time('ended_at', { nullable: true }),
        ],
        {
          unique: { uq_console_sessions_token: ['token_hash'] },
          index: { idx_console_sessions_operator: ['operator_id'] },
        },
      ),
    );
    await queryRunner.createTable(
      defineTable('console_login_failures', [
        c.key('login', 64, { primary: true }),
        c.int('failures'),
        c.time('window_start'),
        c.time('locked_until', { nullable: true }),
      ]),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('console_login_failures');
    await queryRunner.dropTable('console_sessions');
    await queryRunner.dropTable('operators');
  }
}
