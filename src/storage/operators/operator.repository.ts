import { In } from 'typeorm';
import { OperatorEntity, type OperatorRow } from '../entities/operator.entity';
import type { Db } from '../sql';

export type NewOperator = Pick<OperatorRow, 'corpId' | 'userid' | 'login' | 'name' | 'role' | 'passwordHash'>;
export type OperatorChange = Partial<Pick<OperatorRow, 'name' | 'role' | 'enabled' | 'passwordHash'>>;

/** Inserts an operator; a second row for the same member or login is the unique keys' duplicate-key error. */
export async function insertOperator(db: Db, o: NewOperator): Promise<OperatorRow> {
  const repo = db.getRepository(OperatorEntity);
  return repo.save(repo.create({ ...o, enabled: true, lastSignInAt: null }));
}

export function listOperators(db: Db): Promise<OperatorRow[]> {
  return db.getRepository(OperatorEntity).find({ order: { id: 'ASC' } });
}

export async function findOperator(db: Db, id: string): Promise<OperatorRow | undefined> {
  return (await db.getRepository(OperatorEntity).findOneBy({ id })) ?? undefined;
}

export async function findOperatorByMember(db: Db, corpId: string, userid: string): Promise<OperatorRow | undefined> {
  return (await db.getRepository(OperatorEntity).findOneBy({ corpId, userid })) ?? undefined;
}

export async function findOperatorByLogin(db: Db, login: string): Promise<OperatorRow | undefined> {
  return (await db.getRepository(OperatorEntity).findOneBy({ login })) ?? undefined;
}

export async function countPasswordOperators(db: Db): Promise<number> {
  return db
    .getRepository(OperatorEntity)
    .createQueryBuilder('o')
    .where('o.login IS NOT NULL AND o.enabled = :on', { on: true })
    .getCount();
}

export async function updateOperator(db: Db, id: string, change: OperatorChange): Promise<void> {
  await db.getRepository(OperatorEntity).update({ id }, change);
}

export async function stampSignIn(db: Db, id: string, at: Date): Promise<void> {
  await db.getRepository(OperatorEntity).update({ id }, { lastSignInAt: at });
}

/** Operators by id, for naming the people in audit rows. */
export async function operatorsByIds(db: Db, ids: readonly string[]): Promise<Map<string, OperatorRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.getRepository(OperatorEntity).findBy({ id: In(unique) });
  return new Map(rows.map((r) => [r.id, r]));
}
