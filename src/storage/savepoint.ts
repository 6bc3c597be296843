import { type Db, execute, isDuplicateKeyError } from './sql';

/**
 * Runs `fn` under a savepoint of the caller's transaction: on a unique-key violation its writes are rolled back
 * and undefined returned, and the transaction goes on; any other error propagates. Both SQLite and MySQL spell
 * savepoints the same way (https://www.sqlite.org/lang_savepoint.html).
 */
export async function unlessDuplicate<T>(db: Db, name: string, fn: () => Promise<T>): Promise<T | undefined> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`bad savepoint name ${name}`);
  await execute(db, `SAVEPOINT ${name}`);
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    await execute(db, `ROLLBACK TO SAVEPOINT ${name}`);
    return undefined;
  }
  await execute(db, `RELEASE SAVEPOINT ${name}`);
  return result;
}
