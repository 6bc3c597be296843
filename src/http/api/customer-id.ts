import { notFound } from '../http-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Customers are keyed by UUID; any other string names no customer (and is never sent to the database). */
export function isCustomerId(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

/** A customer route's `:id`, or 404 NOT_FOUND when it cannot be a customer id. */
export function customerIdParam(v: string | undefined): string {
  if (!isCustomerId(v)) throw notFound('customer');
  return v;
}
