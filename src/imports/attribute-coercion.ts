import { checkValue, storeValue, type ValueSealer } from '../attributes/attribute-values';
import type { AttributeDefinitionRow } from '../storage/entities/attribute-definition.entity';
import type { StoredValue } from '../storage/attributes/customer-attribute.repository';

const TRUE = new Set(['true', '1', 'yes', 'y', '是', '真']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '假']);

/**
 * A value as a file gives it, turned into what the definition's type takes before the usual check (DESIGN §10.4):
 * CSV cells are text, so numbers, yes/no and lists (`a|b` or `a,b`) are read from it; JSON values pass as they are.
 */
function fromText(def: AttributeDefinitionRow, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  switch (def.type) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : v;
    case 'bool':
      return TRUE.has(s.toLowerCase()) ? true : FALSE.has(s.toLowerCase()) ? false : v;
    case 'multiEnum':
      return s
        .split(/[|,，]/)
        .map((x) => x.trim())
        .filter((x) => x !== '');
    case 'date':
      return s
        .replace(/\//g, '-')
        .replace(/^(\d{4})-(\d)-/, '$1-0$2-')
        .replace(/-(\d)$/, '-0$1');
    default:
      return s;
  }
}

/** Every value of an item checked; the stored values, or the first problem as `attribute.<key>: …`. */
export function storedValues(
  values: Record<string, unknown>,
  defs: ReadonlyMap<string, AttributeDefinitionRow>,
  sealer: ValueSealer,
): { key: string; value: StoredValue }[] | string {
  const out: { key: string; value: StoredValue }[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const def = defs.get(key);
    if (!def) return `attribute.${key}: no such attribute`;
    const checked = checkValue(def, fromText(def, raw));
    if ('problem' in checked) return `attribute.${key}: ${checked.problem}`;
    if (checked.value === null) continue;
    out.push({ key, value: storeValue(def, checked.value, sealer) });
  }
  return out;
}
