import type { DataSource } from '../storage';
import { customerEvents } from '../storage/events/event.repository';
import {
  allNotesOf,
  groupMembershipsOf,
  mergedRecordValuesOf,
  transactionsOf,
} from '../storage/customers/data-bundle.repository';
import { attributesJson } from '../attributes/attribute-view';
import type { ValueSealer } from '../attributes/attribute-values';
import type { AttributeType } from '../storage/entities/attribute-definition.entity';
import type { AttributeSource } from '../storage/entities/customer-attribute.entity';
import { fromDbTime, type Row } from '../storage/sql';
import { AuditLogWriter } from '../audit/audit-log.writer';
import type { ProfileService } from './profile.service';

/** Timeline events read per statement while the bundle streams: memory holds one page, whatever the timeline. */
const EVENTS_PAGE = 500;

/**
 * A person's data bundle (DESIGN §12, §13; the answer to an access request): everything Siyu holds about the
 * customer an id leads to, as one JSON document `{ customer, identities, attributes, notes, tags, follows,
 * groups, channels, subscriptions, events, transactions, consents, generatedAt }`, read as an admin (phones and
 * `pii` values opened). The document is produced piece by piece: the timeline, the one part without a bound, is
 * read a page at a time as the response is written. `attributes` also lists the values records merged into the
customer kept (a merge leaves them there when the survivor had the key), each with `mergedCustomerId`.
 */
export class DataBundleService {
  constructor(
    private readonly deps: { ds: DataSource; profiles: ProfileService; sealer: ValueSealer; now: () => number },
  ) {}

  /** The bundle as JSON text chunks, or undefined for an unknown or erased customer; the export is audited first. */
  async open(id: string, actor: { name: string; role: string }): Promise<AsyncIterable<string> | undefined> {
    const { ds } = this.deps;
    const profile = await this.deps.profiles.byId(ds, id, 'admin');
    if (!profile) return undefined;
    const customerId = profile.id;
    const [notes, groups, transactions, mergedValues] = await Promise.all([
      allNotesOf(ds, customerId),
      groupMembershipsOf(ds, customerId),
      transactionsOf(ds, customerId),
      mergedRecordValuesOf(ds, customerId),
    ]);
    await new AuditLogWriter(ds).write({
      actor: actor.name,
      role: actor.role,
      action: 'customer.export',
      targetType: 'customer',
      targetId: customerId,
      details: id === customerId ? null : { requestedId: id },
    });
    const { identities, attributes, attributeSources, tags, follows, channels, subscriptions, rfm } = profile;
    const head = {
      customer: {
        id: profile.id,
        status: profile.status,
        name: profile.name,
        displayName: profile.displayName,
        avatarUrl: profile.avatarUrl,
        phone: profile.phone,
        createdAt: profile.createdAt,
        updatedAt: profile.updatedAt,
        rfm,
      },
      identities,
      attributes: [
        ...Object.entries(attributes).map(([key, value]) => ({ key, value, ...attributeSources[key] })),
        ...this.mergedRecordAttributes(mergedValues),
      ],
      notes,
      tags,
      follows,
      groups,
      channels,
      subscriptions,
    };
    const tail = {
      transactions,
      consents: profile.consents,
      generatedAt: new Date(this.deps.now()).toISOString(),
    };
    return this.chunks(customerId, head, tail);
  }

  /** Values merged records kept (the survivor had the key), each naming the record: `mergedCustomerId`. */
  private mergedRecordAttributes(rows: readonly Row[]): Record<string, unknown>[] {
    const byCustomer = new Map<string, Row[]>();
    for (const r of rows) byCustomer.set(String(r.customer_id), [...(byCustomer.get(String(r.customer_id)) ?? []), r]);
    return [...byCustomer].flatMap(([mergedCustomerId, list]) => {
      const { attributes, attributeSources } = attributesJson(
        list.map((a) => ({
          key: String(a.attr_key),
          type: a.type as AttributeType,
          pii: Number(a.pii) === 1 || a.pii === true,
          valueText: a.value_text === null || a.value_text === undefined ? null : String(a.value_text),
          valueNum: a.value_num === null || a.value_num === undefined ? null : Number(a.value_num),
          valueEnc: a.value_enc === null || a.value_enc === undefined ? null : String(a.value_enc),
          source: a.source as AttributeSource,
          updatedBy: a.updated_by === null || a.updated_by === undefined ? null : String(a.updated_by),
          updatedAt: fromDbTime(a.updated_at)!,
        })),
        'admin',
        this.deps.sealer,
      );
      return Object.entries(attributes).map(([key, value]) => ({
        key,
        value,
        ...attributeSources[key],
        mergedCustomerId,
      }));
    });
  }

  private async *chunks(customerId: string, head: object, tail: object): AsyncGenerator<string> {
    // `{…head, "events": [ … ], …tail}` written by hand around the streamed array.
    yield `${JSON.stringify(head).slice(0, -1)},"events":[`;
    let first = true;
    for (let before: { occurredAt: Date; id: string } | undefined, more = true; more;) {
      const page = await customerEvents(this.deps.ds, customerId, EVENTS_PAGE, before);
      if (page.length === 0) break;
      yield page
        .map((e) => {
          const json = JSON.stringify({ ...e, occurredAt: e.occurredAt.toISOString() });
          const out = first ? json : `,${json}`;
          first = false;
          return out;
        })
        .join('');
      const last = page[page.length - 1]!;
      before = { occurredAt: last.occurredAt, id: last.id };
      more = page.length === EVENTS_PAGE;
    }
    yield `],${JSON.stringify(tail).slice(1)}`;
  }
}
