import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import {
  deleteDefinition,
  findDefinition,
  insertDefinition,
  listDefinitions,
  updateDefinition,
  type AttributeDefinitionChanges,
} from '../storage/attributes/attribute-definition.repository';
import { countValuesOf, deleteValuesOf } from '../storage/attributes/customer-attribute.repository';
import { retryingTransaction } from '../storage/conflict-retry';
import type { AttributeDefinitionRow, AttributeEditor } from '../storage/entities/attribute-definition.entity';
import { isDuplicateKeyError } from '../storage/sql';
import type { Actor } from '../tags/tags-deps';
import { AttributeError, attributeInvalid, attributeNotFound } from './attribute.errors';
import type { CreateAttributeInput, UpdateAttributeInput } from './attribute-input.schema';
import { definitionJson } from './attribute-view';
import type { AttributeDefinitionJson, AttributeDefinitionListJson } from './attributes-api.types';

export type AttributeDeps = Pick<AppContext, 'ds' | 'now'>;

/** The catalog of custom fields (DESIGN §10.4): every change audited, a definition's values removed only on force. */
export class AttributeDefinitionService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: AttributeDeps) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(): Promise<AttributeDefinitionListJson> {
    return { items: (await listDefinitions(this.deps.ds)).map(definitionJson) };
  }

  async get(key: string): Promise<AttributeDefinitionRow> {
    const d = await findDefinition(this.deps.ds, key);
    if (!d) throw attributeNotFound(key);
    return d;
  }

  async create(input: CreateAttributeInput, actor: Actor): Promise<AttributeDefinitionJson> {
    const now = new Date(this.deps.now());
    try {
      await retryingTransaction(this.deps.ds, async (em) => {
        await insertDefinition(
          em,
          {
            key: input.key,
            labelZh: input.label['zh-CN'],
            labelEn: input.label.en,
            type: input.type,
            options: input.options ?? null,
            pii: input.pii ?? false,
            editableBy: [...new Set<AttributeEditor>(input.editableBy ?? ['operator'])],
            createdBy: actor.name,
          },
          now,
        );
        await this.audit.write(
          {
            actor: actor.name,
            role: actor.role ?? null,
            action: 'attribute.create',
            targetType: 'attribute',
            targetId: input.key,
            details: { ...input },
          },
          em,
        );
      });
    } catch (e) {
      if (isDuplicateKeyError(e))
        throw new AttributeError('KEY_TAKEN', `attribute ${JSON.stringify(input.key)} exists`);
      throw e;
    }
    return definitionJson(await this.get(input.key));
  }

  async update(key: string, input: UpdateAttributeInput, actor: Actor): Promise<AttributeDefinitionJson> {
    const d = await this.get(key);
    if (input.options && d.type !== 'enum' && d.type !== 'multiEnum')
      throw attributeInvalid([{ field: 'options', message: `a ${d.type} has no options` }]);
    const changes: AttributeDefinitionChanges = {
      ...(input.label?.['zh-CN'] !== undefined ? { labelZh: input.label['zh-CN'] } : {}),
      ...(input.label?.en !== undefined ? { labelEn: input.label.en } : {}),
      ...(input.options !== undefined ? { options: input.options } : {}),
      ...(input.pii !== undefined ? { pii: input.pii } : {}),
      ...(input.editableBy !== undefined ? { editableBy: [...new Set(input.editableBy)] } : {}),
    };
    await retryingTransaction(this.deps.ds, async (em) => {
      // Stored values are sealed or clear by the flag they were written under: it changes only while none exist.
      if (input.pii !== undefined && input.pii !== d.pii && (await countValuesOf(em, key)) > 0)
        throw new AttributeError(
          'HAS_VALUES',
          `pii cannot change while customers have values of ${JSON.stringify(key)}`,
        );
      if (Object.keys(changes).length) await updateDefinition(em, key, changes, new Date(this.deps.now()));
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'attribute.update',
          targetType: 'attribute',
          targetId: key,
          details: { ...input },
        },
        em,
      );
    });
    return definitionJson(await this.get(key));
  }

  /** Deletes a definition; one with values needs `force` and takes its values with it (counted in the audit). */
  async remove(key: string, force: boolean, actor: Actor): Promise<{ key: string; valuesRemoved: number }> {
    await this.get(key);
    return retryingTransaction(this.deps.ds, async (em) => {
      const values = await countValuesOf(em, key);
      if (values > 0 && !force)
        throw new AttributeError(
          'HAS_VALUES',
          `${values} customers have a value of ${JSON.stringify(key)}; delete with ?force=true to remove them too`,
          { values },
        );
      const removed = values > 0 ? await deleteValuesOf(em, key) : 0;
      await deleteDefinition(em, key);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'attribute.delete',
          targetType: 'attribute',
          targetId: key,
          details: { force, valuesRemoved: removed },
        },
        em,
      );
      return { key, valuesRemoved: removed };
    });
  }
}
