import type { AttributeDefinitionRow, AttributeType } from '../storage/entities/attribute-definition.entity';
import type { AttributeSource } from '../storage/entities/customer-attribute.entity';
import type { StoredValue } from '../storage/attributes/customer-attribute.repository';
import { maskValue, readValue, type ValueSealer } from './attribute-values';
import type {
  AttributeDefinitionJson,
  CustomerAttributeSourcesJson,
  CustomerAttributesJson,
} from './attributes-api.types';

export function definitionJson(d: AttributeDefinitionRow): AttributeDefinitionJson {
  return {
    key: d.key,
    label: { 'zh-CN': d.labelZh, en: d.labelEn },
    type: d.type,
    ...(d.options ? { options: d.options } : {}),
    pii: d.pii,
    editableBy: d.editableBy,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

/** One stored value with what its definition says about it (null when the definition is gone). */
export interface ShownAttribute extends StoredValue {
  key: string;
  type: AttributeType | null;
  source: AttributeSource;
  updatedBy: string | null;
  updatedAt: Date;
}

/** Who is looking: a viewer sees `pii` values masked (DESIGN §10.4); everyone else sees them in clear. */
export type Reader = 'viewer' | 'operator' | 'admin' | 'staff';

/** A customer's values as `{ key: value }` plus where each came from; pii values of a row marked so are opened. */
export function attributesJson(
  rows: readonly (ShownAttribute & { pii: boolean })[],
  reader: Reader,
  sealer: ValueSealer,
): { attributes: CustomerAttributesJson; attributeSources: CustomerAttributeSourcesJson } {
  const attributes: CustomerAttributesJson = {};
  const attributeSources: CustomerAttributeSourcesJson = {};
  for (const r of rows) {
    if (r.type === null) continue;
    const value = readValue(r.type, r, sealer);
    if (value === undefined) continue;
    attributes[r.key] = r.pii && reader === 'viewer' ? maskValue(value) : value;
    attributeSources[r.key] = { source: r.source, by: r.updatedBy, at: r.updatedAt.toISOString() };
  }
  return { attributes, attributeSources };
}
