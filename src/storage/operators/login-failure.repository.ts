import { ConsoleLoginFailureEntity, type ConsoleLoginFailureRow } from '../entities/operator.entity';
import { type Db, execute, executeUnlessDuplicate } from '../sql';

export async function findLoginFailures(db: Db, login: string): Promise<ConsoleLoginFailureRow | undefined> {
  return (await db.getRepository(ConsoleLoginFailureEntity).findOneBy({ login })) ?? undefined;
}

/**
 * Counts one failed sign-in of `login` in one statement (concurrent guesses each count): a window older than
 * `windowStartsAfter` starts again at 1. Returns the count after it.
 */
export async function addLoginFailure(db: Db, login: string, at: Date, windowStartsAfter: Date): Promise<number> {
  const bump = () =>
    execute(
      db,
      `UPDATE console_login_failures
          SET failures = CASE WHEN window_start > ? THEN failures + 1 ELSE 1 END,
              window_start = CASE WHEN window_start > ? THEN window_start ELSE ? END
        WHERE login = ?`,
      [windowStartsAfter, windowStartsAfter, at, login],
    );
  if ((await bump()).affected === 0) {
    const inserted = await executeUnlessDuplicate(
      db,
      'INSERT INTO console_login_failures (login, failures, window_start, locked_until) VALUES (?, 1, ?, NULL)',
      [login, at],
    );
    if (!inserted) await bump();
  }
  return (await findLoginFailures(db, login))?.failures ?? 1;
}

export async function lockLogin(db: Db, login: string, until: Date): Promise<void> {
  await execute(db, 'UPDATE console_login_failures SET locked_until = ? WHERE login = ?', [until, login]);
}

export async function clearLoginFailures(db: Db, login: string): Promise<void> {
  await execute(db, 'DELETE FROM console_login_failures WHERE login = ?', [login]);
}
