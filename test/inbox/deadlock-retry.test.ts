import { isDeadlock, retryOnDeadlock } from '../../src/inbox/deadlock-retry';

const deadlock = () => Object.assign(new Error('Deadlock found'), { driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 } });

describe('retryOnDeadlock', () => {
  it('does not retry other errors', async () => {
    let runs = 0;
    await expect(
      retryOnDeadlock(async () => {
        runs++;
        throw Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY', errno: 1062 });
      }),
    ).rejects.toThrow('dup');
    expect(runs).toBe(1);
  });

  it('runs a statement that lost a deadlock again, up to the limit', async () => {
    let runs = 0;
    await expect(retryOnDeadlock(async () => (++runs < 3 ? Promise.reject(deadlock()) : 'ok'))).resolves.toBe('ok');
    expect(runs).toBe(3);
    runs = 0;
    await expect(retryOnDeadlock(async () => { runs++; throw deadlock(); }, 2)).rejects.toThrow('Deadlock');
    expect(runs).toBe(2);
    expect(isDeadlock({ errno: 1213 })).toBe(true);
    expect(isDeadlock(null)).toBe(false);
  });
});
