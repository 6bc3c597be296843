import { type Db, select } from '../storage/sql';

/**
 * The name of a corp member from the staff directory (`wecom_staff`, DESIGN §10.3), undefined while the directory
 * does not know it. A schema without the directory table answers undefined too: the sidebar then names the userid.
 */
export async function findStaffName(db: Db, corpId: string, userid: string): Promise<string | undefined> {
  let rows;
  try {
    rows = await select(db, 'SELECT name FROM wecom_staff WHERE corp_id = ? AND userid = ?', [corpId, userid]);
  } catch (e) {
    if (missingTable(e)) return undefined;
    throw e;
  }
  const name = rows[0]?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** SQLite says "no such table"; MySQL/MariaDB errno 1146 ER_NO_SUCH_TABLE. */
function missingTable(e: unknown): boolean {
  const err = e as { message?: unknown; driverError?: { errno?: unknown; code?: unknown } };
  return err.driverError?.errno === 1146 || err.driverError?.code === 'ER_NO_SUCH_TABLE' || (typeof err.message === 'string' && err.message.includes('no such table'));
}
