import type { AttributeDefinitionRow, AttributeType } from '../storage/entities/attribute-definition.entity';
import type { AttributeOp, AttributeOperand, Condition } from '../tags/segments/rule-types';

type AttributeCondition = Extract<Condition, { type: 'attribute' }>;

/** The operators each type supports (DESIGN §10.4); a `pii` field's sealed values support `exists` only. */
const OPS: Record<AttributeType, readonly AttributeOp[]> = {
  text: ['exists', 'eq', 'neq', 'in', 'contains'],
  number: ['exists', 'eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'between'],
  date: ['exists', 'eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'between'],
  bool: ['exists', 'eq', 'neq'],
  enum: ['exists', 'eq', 'neq', 'in'],
  multiEnum: ['exists', 'contains', 'in'],
};

const DATE = /^\d{4}-\d\d-\d\d$/;

function operandProblem(def: AttributeDefinitionRow, v: AttributeOperand): string | null {
  switch (def.type) {
    case 'number':
      return typeof v === 'number' ? null : 'expected a number';
    case 'date':
      return typeof v === 'string' && DATE.test(v) ? null : 'expected a date YYYY-MM-DD';
    case 'bool':
      return typeof v === 'boolean' ? null : 'expected true or false';
    case 'enum':
    case 'multiEnum':
      return typeof v === 'string' && (def.options ?? []).includes(v) ? null : `${JSON.stringify(v)} is not an option`;
    case 'text':
      return typeof v === 'string' ? null : 'expected text';
  }
}

/** Why an attribute condition cannot apply to its field, or null when it fits. */
export function attributeConditionProblem(
  c: AttributeCondition,
  def: AttributeDefinitionRow | undefined,
): string | null {
  if (!def) return `attribute ${JSON.stringify(c.key)} is not defined`;
  const ops = def.pii ? ['exists'] : OPS[def.type];
  if (!ops.includes(c.op))
    return `${c.op} does not apply to ${def.pii ? 'a pii field' : `a ${def.type}`}; use ${ops.join(', ')}`;
  const values = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
  for (const v of values) {
    const p = operandProblem(def, v);
    if (p) return p;
  }
  return null;
}
