/**
 * A callback payload as an ordered list of fields. Strings are wrapped in CDATA and numbers/bigints are written
 * bare, exactly as WeChat's servers do (wechat-api.md §4.3: "All string values wrapped in CDATA in real traffic;
 * integers are bare"). 64-bit ids such as MsgId exceed Number.MAX_SAFE_INTEGER, hence bigint.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
 */
export type CallbackValue = string | number | bigint | CallbackItems | CallbackMessage | CallbackRecords;
/**
 * A list element such as change_external_chat's MemChangeList: one `<Item>` child per value, each in CDATA, as a
 * real decrypted payload shows (https://github.com/binarywang/WxJava/issues/3877).
 */
export type CallbackItems = readonly string[];
export type CallbackMessage = { readonly [name: string]: CallbackValue };
/**
 * Repeated nested elements, such as one `<List>` per template in a subscribe-message event
 * (wechat-api-events.md §2.5): XML writes one sibling element per record; JSON writes an object for one record
 * and an array for several, as WeChat's MP JSON push does.
 */
export interface CallbackRecords {
  readonly records: readonly CallbackMessage[];
}

function isRecords(v: CallbackValue): v is CallbackRecords {
  return typeof v === 'object' && !Array.isArray(v) && 'records' in v && Array.isArray(v.records);
}

/** `]]>` cannot appear inside one CDATA section; split it across two sections like other XML writers do. */
export function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function xmlElements(name: string, value: CallbackValue): string {
  if (isRecords(value)) return value.records.map((r) => xmlElements(name, r)).join('');
  return `<${name}>${xmlValue(value)}</${name}>`;
}

function xmlValue(value: CallbackValue): string {
  if (Array.isArray(value)) return (value as CallbackItems).map((item) => `<Item>${cdata(item)}</Item>`).join('');
  if (typeof value === 'object')
    return Object.entries(value as CallbackMessage)
      .map(([n, v]) => xmlElements(n, v))
      .join('');
  return typeof value === 'string' ? cdata(value) : String(value as number | bigint);
}

/** `<xml>` document, one element per line (the layout WeChat's servers send). */
export function toXml(message: CallbackMessage): string {
  const lines = Object.entries(message).map(([name, value]) => xmlElements(name, value));
  return `<xml>\n${lines.join('\n')}\n</xml>`;
}

function jsonValue(value: CallbackValue): string {
  if (isRecords(value))
    return value.records.length === 1 ? jsonValue(value.records[0]!) : `[${value.records.map(jsonValue).join(',')}]`;
  if (typeof value === 'string' || Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'object') return jsonObject(value as CallbackMessage);
  return String(value);
}

function jsonObject(message: CallbackMessage): string {
  return `{${Object.entries(message)
    .map(([name, value]) => `${JSON.stringify(name)}:${jsonValue(value)}`)
    .join(',')}}`;
}

/**
 * Mini Program JSON push (wechat-api.md §6.4): same field names as the XML, integers as JSON numbers. bigint is
 * written as a bare number literal so 64-bit MsgIds keep every digit (JSON.stringify cannot write bigint).
 */
export function toJson(message: CallbackMessage): string {
  return jsonObject(message);
}

export function serializeMessage(message: CallbackMessage, format: 'xml' | 'json'): string {
  return format === 'json' ? toJson(message) : toXml(message);
}

/** A string field, or undefined when the message lacks it or holds a number there. */
export function stringField(message: CallbackMessage, name: string): string | undefined {
  const v = message[name];
  return typeof v === 'string' ? v : undefined;
}

/** `{ name: value }`, or nothing when the value is absent: optional fields are omitted, never empty. */
export function optional(name: string, value: CallbackValue | undefined): Record<string, CallbackValue> {
  return value === undefined ? {} : { [name]: value };
}
