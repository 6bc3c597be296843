import { type Db, type Row, select } from './sql';

/** One filter of a list: its SQL condition and parameters, or a falsy value when the caller did not ask for it. */
export type ListFilter = readonly [condition: string, ...params: unknown[]] | false | '' | undefined;

/**
 * `SELECT columns FROM table [WHERE …all filters] ORDER BY id DESC LIMIT n`: the list endpoints' newest-first
 * page, keyset-paged by a filter `id < ?` on the previous page's last id.
 */
export function selectNewestFirst(
  db: Db,
  table: string,
  columns: string,
  filters: readonly ListFilter[],
  limit: number,
): Promise<Row[]> {
  const used = filters.filter((f): f is Exclude<ListFilter, false | '' | undefined> => !!f);
  const where = used.length ? ` WHERE ${used.map(([condition]) => condition).join(' AND ')}` : '';
  const params = used.flatMap(([, ...p]) => p);
  return select(db, `SELECT ${columns} FROM ${table}${where} ORDER BY id DESC LIMIT ${Math.trunc(limit)}`, params);
}
