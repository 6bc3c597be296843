import { WebhookRejection } from './webhook-types';

/**
 * A parsed callback body, XML or JSON alike: every leaf is a string (never a number, so 64-bit MsgIds and
 * leading zeros survive), repeated elements are arrays, nested elements are objects.
 */
export type CallbackValue = string | CallbackFields | CallbackValue[];
export interface CallbackFields {
  [name: string]: CallbackValue;
}

/** Keys that would reach Object.prototype if copied naively; no WeChat payload uses them. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function malformed(message: string): WebhookRejection {
  return new WebhookRejection(400, 'MALFORMED', message);
}

/** The string value of a field, or undefined when absent or not a leaf. */
export function text(fields: CallbackFields, name: string): string | undefined {
  const v = fields[name];
  return typeof v === 'string' ? v : undefined;
}

/** A non-empty string field, else 400 MALFORMED (WeChat always sends it). */
export function requiredText(fields: CallbackFields, name: string): string {
  const v = text(fields, name);
  if (v === undefined || v === '') throw malformed(`missing ${name}`);
  return v;
}

/** A string field, trimmed to undefined when empty (WeChat sends empty elements for absent values). */
export function optionalText(fields: CallbackFields, name: string): string | undefined {
  const v = text(fields, name);
  return v === undefined || v === '' ? undefined : v;
}

/** `CreateTime` (Unix seconds) as ISO-8601; 400 when missing or not an integer. */
export function createTimeIso(fields: CallbackFields): { seconds: string; iso: string } {
  const seconds = requiredText(fields, 'CreateTime');
  if (!/^\d{1,12}$/.test(seconds)) throw malformed('CreateTime is not a Unix timestamp');
  return { seconds, iso: new Date(Number(seconds) * 1000).toISOString() };
}

/** Every string leaf except the named ones (message extras such as MediaId, PicUrl, Location_X). */
export function stringFieldsExcept(fields: CallbackFields, omit: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && !omit.has(k)) out[k] = v;
  }
  return out;
}

/** Every field except the named ones, nested values kept (behaviour properties). */
export function fieldsExcept(fields: CallbackFields, omit: ReadonlySet<string>): Record<string, CallbackValue> {
  const out: Record<string, CallbackValue> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (!omit.has(k)) out[k] = v;
  }
  return out;
}
