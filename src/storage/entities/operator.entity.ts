import { EntitySchema } from 'typeorm';
import { col } from './columns';
import type { ApiKeyRole } from './api-key.entity';

/**
 * A person who signs in to the console (DESIGN §7.1): a WeCom member (`corpId` + `userid`) or a local account
 * (`login` + `passwordHash`, `scrypt$<salt>$<hash>`), with the role an API key would have.
 */
export interface OperatorRow {
  id: string;
  corpId: string | null;
  userid: string | null;
  login: string | null;
  name: string;
  role: ApiKeyRole;
  enabled: boolean;
  passwordHash: string | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The server side of a `siyu_console` cookie: only the SHA-256 of its secret is stored. */
export interface ConsoleSessionRow {
  id: string;
  tokenHash: string;
  operatorId: string;
  method: 'wecom' | 'password' | 'test';
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute end (7 days after sign-in); the idle end is `lastSeenAt` + 8 h. */
  expiresAt: Date;
  endedAt: Date | null;
}

/** Failed password sign-ins of one login (known or not) in the current 15-minute window. */
export interface ConsoleLoginFailureRow {
  login: string;
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

export const OperatorEntity = new EntitySchema<OperatorRow>({
  name: 'Operator',
  tableName: 'operators',
  columns: {
    id: col.id(),
    corpId: col.key('corp_id', 64, { nullable: true }),
    userid: col.key('userid', 64, { nullable: true }),
    login: col.key('login', 64, { nullable: true }),
    name: col.str('name', 128),
    role: col.key('role', 16),
    enabled: col.bool('enabled', true),
    passwordHash: col.key('password_hash', 160, { nullable: true }),
    lastSignInAt: col.time('last_sign_in_at', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  uniques: [
    { name: 'uq_operators_member', columns: ['corpId', 'userid'] },
    { name: 'uq_operators_login', columns: ['login'] },
  ],
});

export const ConsoleSessionEntity = new EntitySchema<ConsoleSessionRow>({
  name: 'ConsoleSession',
  tableName: 'console_sessions',
  columns: {
    id: col.id(),
    tokenHash: col.key('token_hash', 64),
    operatorId: col.ref('operator_id'),
    method: col.key('method', 16),
    createdAt: col.createdAt(),
    lastSeenAt: col.time('last_seen_at'),
    expiresAt: col.time('expires_at'),
    endedAt: col.time('ended_at', true),
  },
  uniques: [{ name: 'uq_console_sessions_token', columns: ['tokenHash'] }],
  indices: [{ name: 'idx_console_sessions_operator', columns: ['operatorId'] }],
});

export const ConsoleLoginFailureEntity = new EntitySchema<ConsoleLoginFailureRow>({
  name: 'ConsoleLoginFailure',
  tableName: 'console_login_failures',
  columns: {
    login: col.key('login', 64, { primary: true }),
    failures: col.int('failures'),
    windowStart: col.time('window_start'),
    lockedUntil: col.time('locked_until', true),
  },
});
