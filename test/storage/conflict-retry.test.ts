import { Registry } from 'prom-client';
import {
  conflictRetries,
  isLockConflict,
  isRetryableDbError,
  observeConflicts,
  retryConflicts,
  retryingTransaction,
} from '../../src/storage/conflict-retry';
import { useTestDatabase } from '../helpers/describe-db';

const deadlock = () =>
  Object.assign(new Error('Deadlock found when trying to get lock'), {
    driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 },
  });
const lockWait = () =>
  Object.assign(new Error('Lock wait timeout exceeded'), { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 });

describe('retryConflicts (the one place 1213/1205 are retried)', () => {
  const db = useTestDatabase();

  it('recognises deadlocks and lock wait timeouts only', () => {
    expect(isLockConflict(deadlock())).toBe(true);
    expect(isLockConflict(lockWait())).toBe(true);
    expect(isLockConflict(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY', errno: 1062 }))).toBe(false);
    expect(isLockConflict(null)).toBe(false);
  });

  it('does not run other errors again', async () => {
    let runs = 0;
    await expect(
      retryConflicts(db.ds, { operation: 'test.other' }, async () => {
        runs++;
        throw new Error('syntax');
      }),
    ).rejects.toThrow('syntax');
    expect(runs).toBe(1);
    expect(await conflictRetries(db.ds, 'test.other')).toBe(0);
  });

  it('runs the work again after each conflict, counts it in the metric and logs it at debug', async () => {
    const registry = new Registry();
    const notes: object[] = [];
    observeConflicts(db.ds, { registry, logger: { debug: (o) => notes.push(o) } });
    let runs = 0;
    const value = await retryConflicts(db.ds, { operation: 'test.claim' }, async () => {
      runs++;
      if (runs === 1) throw deadlock();
      if (runs === 2) throw lockWait();
      return 'claimed';
    });
    expect(value).toBe('claimed');
    expect(runs).toBe(3);
    expect(await conflictRetries(db.ds, 'test.claim')).toBe(2);
    expect(notes).toEqual([
      expect.objectContaining({ operation: 'test.claim', code: '1213' }),
      expect.objectContaining({ operation: 'test.claim', code: '1205' }),
    ]);
    expect(await registry.metrics()).toContain('siyu_db_conflict_retries_total{operation="test.claim",code="1213"} 1');
  });

  it('gives up after its attempts and throws the conflict', async () => {
    let runs = 0;
    await expect(
      retryConflicts(db.ds, { operation: 'test.always', attempts: 3 }, async () => {
        runs++;
        throw deadlock();
      }),
    ).rejects.toThrow('Deadlock');
    expect(runs).toBe(3);
  });
});

describe('retryingTransaction (races over the same rows)', () => {
  const db = useTestDatabase();
  const duplicate = () =>
    Object.assign(new Error('Duplicate entry'), { driverError: { code: 'ER_DUP_ENTRY', errno: 1062 } });

  beforeAll(async () => {
    await db.ds.query('CREATE TABLE retry_probe (id INT PRIMARY KEY)');
  });

  it('runs again on conflicts, duplicate keys and SQLite busy, and on nothing else', () => {
    expect(isRetryableDbError(deadlock())).toBe(true);
    expect(isRetryableDbError(lockWait())).toBe(true);
    expect(isRetryableDbError(duplicate())).toBe(true);
    expect(isRetryableDbError(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isRetryableDbError(new Error('syntax'))).toBe(false);
    expect(isRetryableDbError(null)).toBe(false);
  });

  it('rolls the losing run back and runs the whole transaction again', async () => {
    let runs = 0;
    const seen = await retryingTransaction(db.ds, async (em) => {
      runs++;
      const before = (await em.query('SELECT COUNT(*) AS n FROM retry_probe')) as { n: number | string }[];
      await em.query('INSERT INTO retry_probe (id) VALUES (1)');
      if (runs === 1) throw duplicate();
      return Number(before[0]!.n);
    });
    expect(runs).toBe(2);
    expect(seen).toBe(0);
    expect(await db.ds.query('SELECT id FROM retry_probe')).toEqual([{ id: 1 }]);
  });

  it('throws any other error after one run, and a retryable one after its attempts', async () => {
    let runs = 0;
    await expect(
      retryingTransaction(db.ds, async () => {
        runs++;
        throw new Error('syntax');
      }),
    ).rejects.toThrow('syntax');
    expect(runs).toBe(1);
    runs = 0;
    await expect(
      retryingTransaction(
        db.ds,
        async () => {
          runs++;
          throw duplicate();
        },
        3,
      ),
    ).rejects.toThrow('Duplicate');
    expect(runs).toBe(3);
  });
});
