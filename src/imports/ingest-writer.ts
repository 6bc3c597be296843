import { refreshPurchaseFigures } from '../storage/customers/purchase-figures.repository';
import type { IdentityRef } from '../../connectors/common/identity-types';
import type { SourceConfig } from '../../config/schema';
import type { IdentityService } from '../identity/identity.service';
import type { PhoneCrypto } from '../security/phone-crypto';
import { listDefinitions } from '../storage/attributes/attribute-definition.repository';
import type { AttributeDefinitionRow } from '../storage/entities/attribute-definition.entity';
import { storedDedupeKeys } from '../storage/events/event.repository';
import {
  insertImportedOrders,
  setImportedValues,
  setPhoneWhereNone,
  storedOrderNos,
  type ImportedOrder,
  type ImportedValue,
} from '../storage/imports/ingest.repository';
import type { Db } from '../storage/sql';
import type { BulkIdentityResolver, BulkObservation } from '../syncs/identity/bulk-resolver';
import { fitKey, writeTimelines, type TimelineEntry } from '../events/timeline.writer';
import { storedValues } from './attribute-coercion';
import type { IngestItem } from './ingest-item';

export type IngestStatus = 'created' | 'duplicate' | 'invalid';

export interface IngestResult {
  status: IngestStatus;
  customerId?: string;
  error?: string;
}

export interface IngestWriterDeps {
  identity: IdentityService;
  resolver: BulkIdentityResolver;
  phoneCrypto: PhoneCrypto;
}

/** Who writes: the source (a configured one, or the events API's own) and the evidence name on links. */
export interface IngestContext {
  source: Pick<SourceConfig, 'id' | 'verifiedPhone'>;
  /** e.g. `import#12` or `api:crm`: the identity links' source. */
  evidence: string;
  attributeSource: 'import' | 'api';
  /** Definitions read once per import; read per call when absent. */
  definitions?: ReadonlyMap<string, AttributeDefinitionRow>;
  /**
   * An import's running guess that the next batch names only people nobody knows yet (the previous batch created
   * everyone): the resolver then inserts outright and falls back to looking up only when a key already exists.
   */
  hint?: { expectNew: boolean };
  /** An import counts rows written and does not tell duplicates apart: no lookup of stored orders and events. */
  skipDuplicateCheck?: boolean;
}

/** The event's timeline key: the same client id from the same source is one event, by import or by API. */
export function clientEventKey(source: string, clientId: string): string {
  return fitKey(`ext:${source}:${clientId}`);
}

export async function definitionsByKey(db: Db): Promise<Map<string, AttributeDefinitionRow>> {
  return new Map((await listDefinitions(db)).map((d) => [d.key, d]));
}

/**
 * Writes checked items in the caller's transaction (DESIGN §11): each item's identities resolved like any other
 * evidence (in bulk through the sync resolver; a verified phone through the single path, which is the only one
 * that links phones), then its attributes, an unverified phone kept only where the customer has none, its order
 * into `transactions` (unique per source and order number) and its event into the timeline (unique per source and
 * client id). Running the same items again changes nothing and reports them `duplicate`.
 */
export class IngestWriter {
  constructor(private readonly deps: IngestWriterDeps) {}

  async write(db: Db, items: readonly IngestItem[], ctx: IngestContext, now: Date): Promise<IngestResult[]> {
    const results: IngestResult[] = items.map(() => ({ status: 'created' }));
    const defs = ctx.definitions ?? (await definitionsByKey(db));
    const values: (ImportedValue[] | undefined)[] = items.map((item, i) => {
      const stored = storedValues(item.attributes, defs, this.deps.phoneCrypto);
      if (typeof stored === 'string') {
        results[i] = { status: 'invalid', error: stored };
        return undefined;
      }
      return stored.map((s) => ({ ...s.value, key: s.key, customerId: '' }));
    });

    const bulk: { index: number; obs: BulkObservation }[] = [];
    const single: number[] = [];
    items.forEach((item, i) => {
      if (results[i]!.status === 'invalid') return;
      const refs: IdentityRef[] = [...item.identities];
      if (item.phone !== undefined && ctx.source.verifiedPhone) {
        refs.push({ type: 'phone', scope: 'default', value: item.phone });
        single.push(i);
        return;
      }
      if (refs.length === 0) {
        results[i] = {
          status: 'invalid',
          error: `a phone from source ${ctx.source.id} is not verified and names nobody: add another identity`,
        };
        return;
      }
      bulk.push({
        index: i,
        obs: { identities: refs, ...(item.displayName ? { profile: { displayName: item.displayName } } : {}) },
      });
    });

    const customerOf: (string | null)[] = items.map(() => null);
    if (bulk.length > 0) {
      const r = await this.deps.resolver.resolve(
        db,
        bulk.map((b) => b.obs),
        { source: ctx.evidence, syncRunId: null, expectNew: ctx.hint?.expectNew ?? false },
      );
      bulk.forEach((b, k) => (customerOf[b.index] = r.customerIds[k] ?? null));
      if (ctx.hint) ctx.hint.expectNew = r.created === bulk.length && r.single === 0;
    }
    for (const i of single) {
      const item = items[i]!;
      const r = await this.deps.identity.resolve(db, {
        identities: [...item.identities, { type: 'phone', scope: 'default', value: item.phone! }],
        source: ctx.evidence,
        verified: true,
        ...(item.displayName ? { profile: { displayName: item.displayName } } : {}),
      });
      customerOf[i] = r.customerId;
    }

    const attributeRows: ImportedValue[] = [];
    const phones: { customerId: string; phoneEnc: string }[] = [];
    const orders: ImportedOrder[] = [];
    const events: TimelineEntry[] = [];
    items.forEach((item, i) => {
      if (results[i]!.status === 'invalid') return;
      const customerId = customerOf[i];
      if (!customerId) {
        results[i] = { status: 'invalid', error: 'the customer these identities name was erased' };
        return;
      }
      results[i] = { status: 'created', customerId };
      for (const v of values[i] ?? []) attributeRows.push({ ...v, customerId });
      if (item.phone !== undefined && !ctx.source.verifiedPhone)
        phones.push({ customerId, phoneEnc: this.deps.phoneCrypto.encrypt(item.phone) });
      if (item.order) orders.push({ source: ctx.source.id, customerId, ...item.order });
      if (item.event)
        events.push({
          customerId,
          source: ctx.source.id,
          account: ctx.source.id,
          type: item.event.type,
          occurredAt: item.event.occurredAt,
          payload: {
            clientId: item.event.clientId,
            ...(Object.keys(item.event.properties).length ? { properties: item.event.properties } : {}),
            ...(item.order
              ? {
                  order: {
                    orderNo: item.order.orderNo,
                    amountFen: item.order.amountFen,
                    refundedFen: item.order.refundedFen,
                  },
                }
              : {}),
          },
          dedupeKey: clientEventKey(ctx.source.id, item.event.clientId),
        });
    });

    await setImportedValues(db, attributeRows, { source: ctx.attributeSource, updatedBy: ctx.evidence }, now);
    await setPhoneWhereNone(db, phones, now);
    if (!ctx.skipDuplicateCheck) await this.markDuplicates(db, items, results, ctx.source.id);
    await insertImportedOrders(db, orders, now);
    await refreshPurchaseFigures(
      db,
      orders.map((o) => o.customerId),
    );
    await writeTimelines(db, events);
    return results;
  }

  /**
   * An item whose event (client id) or, without one, whose order number is already stored — or repeated earlier
   * in the same batch — is a duplicate; customers rows have neither and stay `created`.
   */
  private async markDuplicates(db: Db, items: readonly IngestItem[], results: IngestResult[], source: string) {
    const live = items.flatMap((item, i) => (results[i]!.status === 'invalid' ? [] : [{ item, i }]));
    const eventKeys = live.flatMap(({ item }) => (item.event ? [clientEventKey(source, item.event.clientId)] : []));
    const orderNos = live.flatMap(({ item }) => (!item.event && item.order ? [item.order.orderNo] : []));
    const storedEvents = await storedDedupeKeys(db, [...new Set(eventKeys)]);
    const storedOrders = await storedOrderNos(db, source, [...new Set(orderNos)]);
    const seen = new Set<string>();
    for (const { item, i } of live) {
      const key = item.event
        ? `e|${clientEventKey(source, item.event.clientId)}`
        : item.order
          ? `o|${item.order.orderNo}`
          : undefined;
      if (key === undefined) continue;
      const stored = item.event ? storedEvents.has(key.slice(2)) : storedOrders.has(key.slice(2));
      if (stored || seen.has(key)) results[i] = { ...results[i]!, status: 'duplicate' };
      seen.add(key);
    }
  }
}
