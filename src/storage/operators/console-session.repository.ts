import { ConsoleSessionEntity, type ConsoleSessionRow } from '../entities/operator.entity';
import type { ApiKeyRole } from '../entities/api-key.entity';
import { readRows } from '../driver/pool-statements';
import { type Db, execute, fromDbTime, idString } from '../sql';

/** A live session row with the operator behind it, read in one query on every cookie-carried request. */
export interface SessionWithOperator {
  sessionId: string;
  lastSeenAt: Date;
  expiresAt: Date;
  operator: {
    id: string;
    name: string;
    role: ApiKeyRole;
    enabled: boolean;
    corpId: string | null;
    userid: string | null;
    login: string | null;
  };
}

export async function insertSession(
  db: Db,
  s: Pick<ConsoleSessionRow, 'tokenHash' | 'operatorId' | 'method' | 'lastSeenAt' | 'expiresAt'>,
): Promise<ConsoleSessionRow> {
  const repo = db.getRepository(ConsoleSessionEntity);
  return repo.save(repo.create({ ...s, endedAt: null }));
}

/** The session with this token hash that has not been ended, with its operator (enabled or not). */
export async function findLiveSession(db: Db, tokenHash: string): Promise<SessionWithOperator | undefined> {
  const [r] = await readRows<Record<string, unknown>>(
    db,
    `SELECT s.id, s.last_seen_at, s.expires_at, o.id AS operator_id, o.name, o.role, o.enabled, o.corp_id, o.userid, o.login
       FROM console_sessions s JOIN operators o ON o.id = s.operator_id
      WHERE s.token_hash = ? AND s.ended_at IS NULL`,
    [tokenHash],
  );
  if (!r) return undefined;
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    sessionId: idString(r.id),
    lastSeenAt: fromDbTime(r.last_seen_at)!,
    expiresAt: fromDbTime(r.expires_at)!,
    operator: {
      id: idString(r.operator_id),
      name: String(r.name),
      role: String(r.role) as ApiKeyRole,
      enabled: r.enabled === true || Number(r.enabled) === 1,
      corpId: str(r.corp_id),
      userid: str(r.userid),
      login: str(r.login),
    },
  };
}

export async function touchSession(db: Db, id: string, at: Date): Promise<void> {
  await execute(db, 'UPDATE console_sessions SET last_seen_at = ? WHERE id = ?', [at, id]);
}

export async function endSession(db: Db, id: string, at: Date): Promise<void> {
  await execute(db, 'UPDATE console_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL', [at, id]);
}

/** Ends every open session of an operator; returns how many. */
export async function endOperatorSessions(db: Db, operatorId: string, at: Date): Promise<number> {
  const r = await execute(db, 'UPDATE console_sessions SET ended_at = ? WHERE operator_id = ? AND ended_at IS NULL', [
    at,
    operatorId,
  ]);
  return r.affected;
}
