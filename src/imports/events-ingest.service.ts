import { isIdentityType, type IdentityRef } from '../../connectors/common/identity-types';
import { findSource, unionidScopes, type SiyuConfig } from '../../config';
import type { AppContext } from '../app-context';
import type { IdentityService } from '../identity/identity.service';
import type { PhoneCrypto } from '../security/phone-crypto';
import { retryingTransaction } from '../storage/conflict-retry';
import type { BulkIdentityResolver } from '../syncs/identity/bulk-resolver';
import { ImportError, importInvalid } from './import.errors';
import { MAX_CLIENT_ID, MAX_ORDER_NO, parseTime, type IngestItem } from './ingest-item';
import { IngestWriter, type IngestResult } from './ingest-writer';
import type { EventItemResultJson, EventsResultJson } from './imports-api.types';

export const MAX_EVENT_ITEMS = 500;
/** The source of items sent without one: their orders are keyed by ("api", orderNo), their events by ("api", clientId). */
export const API_SOURCE = 'api';

export type EventsIngestDeps = Pick<AppContext, 'ds' | 'now'> & {
  config: SiyuConfig;
  identity: IdentityService;
  resolver: BulkIdentityResolver;
  phoneCrypto: PhoneCrypto;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** One item of the request checked into an IngestItem, or why it is invalid. */
function checkItem(
  v: unknown,
  knownSource: (id: string) => boolean,
  defaultUnionidScopes: readonly string[],
): IngestItem | string {
  if (!isObject(v)) return 'expected an object';
  const { clientId, type, occurredAt, identities, properties, order } = v;
  if (typeof clientId !== 'string' || clientId.trim() === '' || clientId.length > MAX_CLIENT_ID)
    return `clientId: expected 1-${MAX_CLIENT_ID} characters`;
  if (typeof type !== 'string' || type.trim() === '' || type.length > 64) return 'type: expected 1-64 characters';
  const at = parseTime(occurredAt);
  if (!at) return 'occurredAt: expected an ISO 8601 time';
  if (properties !== undefined && !isObject(properties)) return 'properties: expected an object';
  if (!Array.isArray(identities) || identities.length === 0 || identities.length > 20)
    return 'identities: expected 1-20 { type, scope, value }';
  const item: IngestItem = {
    identities: [],
    attributes: {},
    event: { clientId: clientId.trim(), type: type.trim(), occurredAt: at, properties: properties ?? {} },
  };
  for (const [i, id] of identities.entries()) {
    if (!isObject(id) || !isIdentityType(id.type) || typeof id.value !== 'string' || id.value.trim() === '')
      return `identities.${i}: expected { type, scope, value } with a known type`;
    if (id.value.length > 128) return `identities.${i}.value: longer than 128 characters`;
    if (id.type === 'phone') {
      item.phone = id.value.replace(/[\s-]/g, '');
      if (!/^\+?\d{5,20}$/.test(item.phone)) return `identities.${i}: not a phone number`;
      continue;
    }
    const scope = typeof id.scope === 'string' && id.scope.trim() !== '' ? id.scope.trim() : undefined;
    if (!scope && id.type !== 'unionid') return `identities.${i}.scope: required for ${id.type}`;
    if (id.type === 'external_id' && !knownSource(scope!))
      return `identities.${i}.scope: ${JSON.stringify(scope)} is not a configured source`;
    if (!scope && defaultUnionidScopes.length !== 1)
      return `identities.${i}.scope: required for a unionid, the accounts naming several open platforms (${defaultUnionidScopes.join(', ')})`;
    const ref: IdentityRef = { type: id.type, scope: scope ?? defaultUnionidScopes[0]!, value: id.value.trim() };
    item.identities.push(ref);
  }
  if (order !== undefined) {
    if (!isObject(order)) return 'order: expected { orderNo, amountFen, paidAt }';
    const { orderNo, amountFen, paidAt, refundedFen } = order;
    if (typeof orderNo !== 'string' || orderNo.trim() === '' || orderNo.length > MAX_ORDER_NO)
      return `order.orderNo: expected 1-${MAX_ORDER_NO} characters`;
    if (!isFen(amountFen)) return 'order.amountFen: expected a whole number of fen';
    const paid = parseTime(paidAt);
    if (!paid) return 'order.paidAt: expected an ISO 8601 time';
    const refunded = refundedFen === undefined ? 0 : refundedFen;
    if (!isFen(refunded) || refunded > amountFen) return 'order.refundedFen: expected fen between 0 and amountFen';
    item.order = { orderNo: orderNo.trim(), amountFen, paidAt: paid, refundedFen: refunded };
  }
  return item;
}

/**
 * `POST /api/v1/events` (DESIGN §11, §13): up to 500 events or orders from another system, each resolved to a
 * customer by its identities and written once per client id (a repeat is `duplicate`); a bad item is `invalid`
 * with the reason and does not stop the others. All valid items are written in one transaction.
 */
export class EventsIngestService {
  private readonly writer: IngestWriter;

  constructor(private readonly deps: EventsIngestDeps) {
    this.writer = new IngestWriter(deps);
  }

  async ingest(body: unknown, by: string): Promise<EventsResultJson> {
    if (!isObject(body) || !Array.isArray(body.items))
      throw importInvalid('body must be { items: [{ clientId, type, occurredAt, identities, properties?, order? }] }');
    if (body.items.length > MAX_EVENT_ITEMS)
      throw new ImportError('TOO_MANY_ITEMS', `at most ${MAX_EVENT_ITEMS} items per call, got ${body.items.length}`);
    let source: { id: string; verifiedPhone: boolean } = { id: API_SOURCE, verifiedPhone: false };
    if (body.source !== undefined) {
      const found = typeof body.source === 'string' ? findSource(this.deps.config, body.source) : undefined;
      if (!found) throw importInvalid(`source: unknown source ${JSON.stringify(body.source)}`);
      source = found;
    }
    const raw = body.items as unknown[];
    const known = (id: string) => findSource(this.deps.config, id) !== undefined;
    const scopes = unionidScopes(this.deps.config);
    const checked = raw.map((v) => checkItem(v, known, scopes));
    const valid = checked.flatMap((c, i) => (typeof c === 'string' ? [] : [{ i, item: c }]));
    const written: IngestResult[] =
      valid.length === 0
        ? []
        : await retryingTransaction(this.deps.ds, (em) =>
            this.writer.write(
              em,
              valid.map((v) => v.item),
              { source, evidence: `api:${by}`.slice(0, 64), attributeSource: 'api' },
              new Date(this.deps.now()),
            ),
          );
    const byIndex = new Map(valid.map((v, k) => [v.i, written[k]!]));
    const items: EventItemResultJson[] = raw.map((v, i) => {
      const clientId = isObject(v) && typeof v.clientId === 'string' ? v.clientId : '';
      const c = checked[i]!;
      if (typeof c === 'string') return { clientId, status: 'invalid', error: c };
      const r = byIndex.get(i)!;
      return {
        clientId,
        status: r.status,
        ...(r.customerId ? { customerId: r.customerId } : {}),
        ...(r.error ? { error: r.error } : {}),
      };
    });
    return { items };
  }
}
