import { IDENTITY_TYPES, isIdentityType, type IdentityRef } from '../../connectors/common/identity-types';
import type { ImportKind } from '../storage/entities/import.entity';

/**
 * One row of an import or one item of `POST /api/v1/events`, checked: the identities that name the customer, what
 * to set on them, and the order or event it carries (DESIGN §11, §13).
 */
export interface IngestItem {
  identities: IdentityRef[];
  /** A phone number as given (digits, maybe a leading +): an identity only for a `verifiedPhone` source. */
  phone?: string;
  displayName?: string;
  /** attribute key → value as given (text from a CSV, any JSON value from NDJSON or the API). */
  attributes: Record<string, unknown>;
  order?: { orderNo: string; amountFen: number; paidAt: Date; refundedFen: number };
  event?: { clientId: string; type: string; occurredAt: Date; properties: Record<string, unknown> };
}

export const MAX_CLIENT_ID = 128;
export const MAX_ORDER_NO = 64;

/** The fields a column may be mapped to; `identity.`, `attribute.` and `property.` take a suffix. */
const PLAIN_FIELDS = new Set([
  'phone',
  'displayName',
  'orderNo',
  'amountFen',
  'paidAt',
  'refundedFen',
  'clientId',
  'type',
  'occurredAt',
]);

/** A field name parsed: an identity slot, an attribute, an event property or a plain field. */
export type Field =
  | { kind: 'identity'; type: IdentityRef['type']; scope: string }
  | { kind: 'attribute'; key: string }
  | { kind: 'property'; key: string }
  | { kind: 'plain'; name: string };

/** What an identity field without a scope takes: the import's source, the open platforms of `unionidScopes`. */
export interface ScopeDefaults {
  source: string;
  /** `unionidScopes(config)`: one is the default; several make `identity.unionid` name its scope. */
  unionid: readonly string[];
}

/**
 * `identity.<type>[:<scope>]` (scope defaults: the accounts' open platform for unionid, the import's source for
 * external_id; the others need theirs), `attribute.<key>`, `property.<key>`, or one of the plain fields. A string
 * saying what is wrong otherwise.
 */
export function parseField(name: string, defaults: ScopeDefaults): Field | string {
  if (name.startsWith('identity.')) {
    const [type, ...rest] = name.slice('identity.'.length).split(':');
    const scope = rest.join(':').trim();
    if (!isIdentityType(type) || type === 'phone')
      return `unknown identity type in ${JSON.stringify(name)} (one of ${IDENTITY_TYPES.filter((t) => t !== 'phone').join(', ')}; a phone is the field "phone")`;
    if (scope) return { kind: 'identity', type, scope };
    if (type === 'unionid') {
      const [only, ...more] = defaults.unionid;
      if (only !== undefined && more.length === 0) return { kind: 'identity', type, scope: only };
      return `${JSON.stringify(name)} needs its scope, the accounts naming several open platforms: identity.unionid:<${defaults.unionid.join(' | ')}>`;
    }
    if (type === 'external_id') return { kind: 'identity', type, scope: defaults.source };
    return `${JSON.stringify(name)} needs its scope: identity.${type}:<${type === 'wecom_external_userid' ? 'corpId' : 'appId'}>`;
  }
  if (name.startsWith('attribute.') && name.length > 'attribute.'.length)
    return { kind: 'attribute', key: name.slice('attribute.'.length) };
  if (name.startsWith('property.') && name.length > 'property.'.length)
    return { kind: 'property', key: name.slice('property.'.length) };
  if (PLAIN_FIELDS.has(name)) return { kind: 'plain', name };
  return `unknown field ${JSON.stringify(name)}`;
}

const text = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return undefined;
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  return s === '' ? undefined : s;
};

function wholeFen(v: unknown): number | undefined {
  const s = text(v);
  if (s === undefined || !/^\d{1,15}$/.test(s)) return undefined;
  return Number(s);
}

/** ISO 8601, or `YYYY-MM-DD HH:MM[:SS]` read in the server's zone offset given (+08:00 for Asia/Shanghai). */
export function parseTime(v: unknown, defaultOffset = '+08:00'): Date | undefined {
  const s = text(v);
  if (s === undefined) return undefined;
  const local = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?))?$/.exec(s);
  const iso = local ? `${local[1]}T${local[2] ?? '00:00:00'}${defaultOffset}` : s;
  if (!local && !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(s)) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * A record (column → value) read through the mapping into an item of this kind, or the reason it cannot be one.
 * Columns without a mapping use their own name as the field; columns whose field is unknown were refused before
 * the first row, so here they are skipped.
 */
export function readItem(
  record: Record<string, unknown>,
  fields: ReadonlyMap<string, Field>,
  kind: ImportKind,
): IngestItem | string {
  const item: IngestItem = { identities: [], attributes: {} };
  const plain: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(record)) {
    const f = fields.get(column);
    if (!f) continue;
    if (f.kind === 'identity') {
      const v = text(value);
      if (v === undefined) continue;
      if (v.length > 128) return `${column}: longer than 128 characters`;
      item.identities.push({ type: f.type, scope: f.scope, value: v });
    } else if (f.kind === 'attribute') {
      if (value !== undefined && value !== null && value !== '') item.attributes[f.key] = value;
    } else if (f.kind === 'property') {
      if (value !== undefined && value !== '') properties[f.key] = value;
    } else plain[f.name] = value;
  }
  const phone = text(plain.phone);
  if (phone !== undefined) {
    const digits = phone.replace(/[\s-]/g, '');
    if (!/^\+?\d{5,20}$/.test(digits)) return 'phone: not a phone number';
    item.phone = digits;
  }
  const displayName = text(plain.displayName);
  if (displayName !== undefined) item.displayName = displayName.slice(0, 128);
  if (item.identities.length === 0 && item.phone === undefined) return 'no identity names the customer';

  if (kind === 'orders') {
    const orderNo = text(plain.orderNo);
    if (orderNo === undefined) return 'orderNo: missing';
    if (orderNo.length > MAX_ORDER_NO) return `orderNo: longer than ${MAX_ORDER_NO} characters`;
    const amountFen = wholeFen(plain.amountFen);
    if (amountFen === undefined) return 'amountFen: expected a whole number of fen';
    const paidAt = parseTime(plain.paidAt);
    if (!paidAt) return 'paidAt: expected a time such as 2026-03-01T10:00:00+08:00';
    const refundedFen = text(plain.refundedFen) === undefined ? 0 : wholeFen(plain.refundedFen);
    if (refundedFen === undefined || refundedFen > amountFen)
      return 'refundedFen: expected fen between 0 and amountFen';
    item.order = { orderNo, amountFen, paidAt, refundedFen };
  }
  if (kind === 'events') {
    const clientId = text(plain.clientId);
    if (clientId === undefined) return 'clientId: missing';
    if (clientId.length > MAX_CLIENT_ID) return `clientId: longer than ${MAX_CLIENT_ID} characters`;
    const type = text(plain.type);
    if (type === undefined || type.length > 64) return 'type: expected 1-64 characters';
    const occurredAt = parseTime(plain.occurredAt);
    if (!occurredAt) return 'occurredAt: expected a time such as 2026-03-01T10:00:00+08:00';
    item.event = { clientId, type, occurredAt, properties };
  }
  return item;
}
