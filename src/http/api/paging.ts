import { badRequest } from '../http-error';

/** `limit` query parameter: 1..max, default 50. */
export function parseLimit(v: unknown, def = 50, max = 500): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`limit must be an integer from 1 to ${max}`);
  return n;
}

/** Opaque cursor holding a numeric row id (keyset paging on the primary key). */
export function parseIdCursor(v: unknown): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !/^\d{1,20}$/.test(v)) throw badRequest('cursor is not valid');
  return v;
}
