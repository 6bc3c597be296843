import type { AttributeDefinitionRow } from '../storage/entities/attribute-definition.entity';
import type { StoredValue } from '../storage/attributes/customer-attribute.repository';
import { maskPhone } from '../security/phone-crypto';
import type { AttributeValueJson } from './attributes-api.types';

/** Text values are indexed (value_text, 512): a longer note belongs in the customer's notes. */
export const MAX_TEXT_LENGTH = 500;

/** Seals and opens `pii` values (PhoneCrypto's seal/open under `security.dataKey`). */
export interface ValueSealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;

function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/**
 * A request value checked against its definition: the canonical value, or the reason it does not fit. A
 * multiEnum keeps its options in the definition's order, each once; an empty list clears the field.
 */
export function checkValue(
  def: AttributeDefinitionRow,
  v: unknown,
): { value: AttributeValueJson | null } | { problem: string } {
  switch (def.type) {
    case 'text': {
      if (typeof v !== 'string') return { problem: 'expected text' };
      const t = v.trim();
      if (t.length > MAX_TEXT_LENGTH) return { problem: `at most ${MAX_TEXT_LENGTH} characters` };
      return { value: t === '' ? null : t };
    }
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? { value: v } : { problem: 'expected a number' };
    case 'date':
      return typeof v === 'string' && isCalendarDate(v) ? { value: v } : { problem: 'expected a date YYYY-MM-DD' };
    case 'bool':
      return typeof v === 'boolean' ? { value: v } : { problem: 'expected true or false' };
    case 'enum': {
      const opts = def.options ?? [];
      return typeof v === 'string' && opts.includes(v)
        ? { value: v }
        : { problem: `expected one of ${opts.map((o) => JSON.stringify(o)).join(', ')}` };
    }
    case 'multiEnum': {
      const opts = def.options ?? [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return { problem: 'expected a list of options' };
      const bad = (v as string[]).filter((x) => !opts.includes(x));
      if (bad.length) return { problem: `not an option: ${bad.map((o) => JSON.stringify(o)).join(', ')}` };
      const chosen = opts.filter((o) => (v as string[]).includes(o));
      return { value: chosen.length ? chosen : null };
    }
  }
}

/**
 * How a value is stored: numbers in `value_num`, the rest as text in `value_text` (`true`/`false`, a multiEnum as
 * its JSON list, so SQL matches an option as `"option"`), a `pii` value as sealed JSON in `value_enc` only.
 */
export function storeValue(def: AttributeDefinitionRow, value: AttributeValueJson, sealer: ValueSealer): StoredValue {
  if (def.pii) return { valueText: null, valueNum: null, valueEnc: sealer.seal(JSON.stringify(value)) };
  if (typeof value === 'number') return { valueText: null, valueNum: value, valueEnc: null };
  if (Array.isArray(value)) return { valueText: JSON.stringify(value), valueNum: null, valueEnc: null };
  return { valueText: String(value), valueNum: null, valueEnc: null };
}

/** The stored value read back for its definition's type; undefined when it cannot be read (a foreign key). */
export function readValue(
  type: AttributeDefinitionRow['type'] | undefined,
  s: StoredValue,
  sealer: ValueSealer,
): AttributeValueJson | undefined {
  try {
    if (s.valueEnc !== null) return JSON.parse(sealer.open(s.valueEnc)) as AttributeValueJson;
    if (s.valueNum !== null) return s.valueNum;
    if (s.valueText === null) return undefined;
    if (type === 'bool') return s.valueText === 'true';
    if (type === 'multiEnum') return JSON.parse(s.valueText) as string[];
    return s.valueText;
  } catch {
    return undefined;
  }
}

/** `138****8000` for phone-like text, else the first and last character around stars (`张**`, `c***s`). */
export function maskText(s: string): string {
  if (/^\+?\d{7,15}$/.test(s)) return maskPhone(s);
  const chars = [...s];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** A `pii` value as a viewer sees it (DESIGN §10.4): every part masked, never the clear value. */
export function maskValue(v: AttributeValueJson): AttributeValueJson {
  return Array.isArray(v) ? v.map(maskText) : maskText(String(v));
}
