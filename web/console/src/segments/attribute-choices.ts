import { ref } from 'vue';
import { api } from '../api/http';
import type { AttributeDefinition, AttributeDefinitionListJson } from '../api/types';

const defs = ref<AttributeDefinition[]>([]);
let loading: Promise<void> | null = null;

/** The custom fields for the builder's `attribute` picker, read once per page. */
export function attributeChoices() {
  loading ??= api<AttributeDefinitionListJson>('/attributes')
    .then((r) => {
      defs.value = r.items;
    })
    .catch(() => {
      defs.value = [];
    });
  return defs;
}

/** The operators the builder offers per type (src/attributes/attribute-condition.ts; pii fields: exists only). */
export function attributeOps(d: AttributeDefinition | undefined): string[] {
  if (!d) return ['exists'];
  if (d.pii) return ['exists'];
  switch (d.type) {
    case 'number':
    case 'date':
      return ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'];
    case 'bool':
      return ['eq', 'neq', 'exists'];
    case 'enum':
      return ['eq', 'neq', 'in', 'exists'];
    case 'multiEnum':
      return ['contains', 'in', 'exists'];
    case 'text':
      return ['eq', 'neq', 'contains', 'exists'];
  }
}
