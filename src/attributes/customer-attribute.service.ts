import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { findCustomers, survivorOf } from '../storage/customers/customer.repository';
import { listDefinitions } from '../storage/attributes/attribute-definition.repository';
import { attributesOf, clearAttribute, setAttribute } from '../storage/attributes/customer-attribute.repository';
import { retryingTransaction } from '../storage/conflict-retry';
import type { AttributeDefinitionRow } from '../storage/entities/attribute-definition.entity';
import type { AttributeSource, CustomerAttributeRow } from '../storage/entities/customer-attribute.entity';
import type { Db } from '../storage/sql';
import type { Actor } from '../tags/tags-deps';
import { AttributeError, attributeInvalid, customerNotFound, type FieldProblem } from './attribute.errors';
import { checkValue, readValue, storeValue, type ValueSealer } from './attribute-values';
import { attributesJson, type Reader } from './attribute-view';
import type { AttributeValueJson, CustomerAttributesJson } from './attributes-api.types';

export type CustomerAttributeDeps = Pick<AppContext, 'ds' | 'now'> & { sealer: ValueSealer };

/** Who changes values: an admin edits every field, an operator and a sales rep those whose `editableBy` names them. */
export type Editor = 'admin' | 'operator' | 'staff';

interface Change {
  def: AttributeDefinitionRow;
  value: AttributeValueJson | null;
}

/**
 * Customer attribute values (DESIGN §10.4): a PATCH is checked whole against the definitions — every bad field named
 * in one 422, nothing written — then applied in one transaction with one audit entry per changed field carrying
 * who, the source and the old value (a `pii` value's old value stays sealed in the log).
 */
export class CustomerAttributeService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: CustomerAttributeDeps) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  /** The values of an active customer (merges followed) as `reader` may see them. */
  async valuesOf(customerId: string, reader: Reader): Promise<CustomerAttributesJson> {
    const c = await survivorOf(this.deps.ds, customerId);
    if (!c || c.status !== 'active') throw customerNotFound();
    return this.read(this.deps.ds, c.id, reader);
  }

  async patch(
    customerId: string,
    body: unknown,
    by: { actor: Actor; editor: Editor; source: AttributeSource },
  ): Promise<CustomerAttributesJson> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw attributeInvalid([{ field: 'body', message: 'expected an object { <key>: value | null }' }]);
    const entries = Object.entries(body as Record<string, unknown>);
    if (entries.length === 0) throw attributeInvalid([{ field: 'body', message: 'name at least one attribute' }]);
    const changes = this.check(entries, await listDefinitions(this.deps.ds), by.editor);
    const c = await survivorOf(this.deps.ds, customerId);
    if (!c || c.status !== 'active') throw customerNotFound();
    const now = new Date(this.deps.now());
    await retryingTransaction(this.deps.ds, async (em) => {
      // Locked as merges lock it: a merge in flight either moves these rows or waits for them.
      const [held] = await findCustomers(em, [c.id], true);
      if (!held || held.status !== 'active') throw customerNotFound();
      const before = new Map((await attributesOf(em, c.id)).map((a) => [a.key, a]));
      for (const ch of changes) await this.apply(em, c.id, ch, before.get(ch.def.key), by, now);
    });
    return this.read(this.deps.ds, c.id, by.editor);
  }

  /** Every field checked; 403 for fields this editor may not change, else 422 naming each bad one. */
  private check(entries: [string, unknown][], defs: AttributeDefinitionRow[], editor: Editor): Change[] {
    const byKey = new Map(defs.map((d) => [d.key, d]));
    const problems: FieldProblem[] = [];
    const locked: string[] = [];
    const changes: Change[] = [];
    for (const [key, raw] of entries) {
      const def = byKey.get(key);
      if (!def) {
        problems.push({ field: key, message: 'no such attribute' });
        continue;
      }
      if (editor !== 'admin' && !def.editableBy.includes(editor)) locked.push(key);
      if (raw === null) {
        changes.push({ def, value: null });
        continue;
      }
      const r = checkValue(def, raw);
      if ('problem' in r) problems.push({ field: key, message: r.problem });
      else changes.push({ def, value: r.value });
    }
    if (problems.length) throw attributeInvalid(problems);
    if (locked.length)
      throw new AttributeError(
        'NOT_EDITABLE',
        `${editor === 'staff' ? 'sales staff' : `an ${editor}`} may not change ${locked.join(', ')}`,
        {
          fields: locked,
        },
      );
    return changes;
  }

  private async apply(
    em: Db,
    customerId: string,
    ch: Change,
    old: CustomerAttributeRow | undefined,
    by: { actor: Actor; source: AttributeSource },
    now: Date,
  ): Promise<void> {
    const key = ch.def.key;
    const stored = ch.value === null ? null : storeValue(ch.def, ch.value, this.deps.sealer);
    if (stored === null) {
      if (!old) return;
      await clearAttribute(em, customerId, key);
    } else {
      await setAttribute(em, { customerId, key, ...stored, source: by.source, updatedBy: by.actor.name }, now);
    }
    const shown = (v: AttributeValueJson | null): unknown => (ch.def.pii && v !== null ? '(pii)' : v);
    const oldValue = old && !ch.def.pii ? (readValue(ch.def.type, old, this.deps.sealer) ?? null) : null;
    await this.audit.write(
      {
        actor: by.actor.name,
        role: by.actor.role ?? null,
        action: stored === null ? 'customer.attribute.clear' : 'customer.attribute.set',
        targetType: 'customer',
        targetId: customerId,
        details: {
          key,
          source: by.source,
          old: ch.def.pii ? (old?.valueEnc ?? null) : oldValue,
          ...(ch.def.pii ? { oldSealed: true } : {}),
          oldSource: old?.source ?? null,
          new: shown(ch.value),
        },
      },
      em,
    );
  }

  private async read(db: Db, customerId: string, reader: Reader): Promise<CustomerAttributesJson> {
    const defs = new Map((await listDefinitions(db)).map((d) => [d.key, d]));
    const rows = (await attributesOf(db, customerId)).map((a) => {
      const d = defs.get(a.key);
      return { ...a, type: d?.type ?? null, pii: d?.pii ?? false };
    });
    return attributesJson(rows, reader, this.deps.sealer).attributes;
  }
}
