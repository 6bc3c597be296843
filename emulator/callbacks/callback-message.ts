/**
 * A callback payload as an ordered list of fields. Strings are wrapped in CDATA and numbers/bigints are written
 * bare, exactly as WeChat's servers do (wechat-api.md §4.3: "All string values wrapped in CDATA in real traffic;
 * integers are bare"). 64-bit ids such as MsgId exceed Number.MAX_SAFE_INTEGER, hence bigint.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
 */
export type CallbackValue = string | number | bigint | CallbackItems;
/**
 * A list element such as change_external_chat's MemChangeList: one `<Item>` child per value, each in CDATA, as a
 * real decrypted payload shows (https://github.com/binarywang/WxJava/issues/3877).
 */
export type CallbackItems = readonly string[];
export type CallbackMessage = Readonly<Record<string, CallbackValue>>;

/** `]]>` cannot appear inside one CDATA section; split it across two sections like other XML writers do. */
export function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function xmlValue(value: CallbackValue): string {
  if (typeof value === 'object') return value.map((item) => `<Item>${cdata(item)}</Item>`).join('');
  return typeof value === 'string' ? cdata(value) : String(value);
}

/** `<xml>` document, one element per line (the layout WeChat's servers send). */
export function toXml(message: CallbackMessage): string {
  const lines = Object.entries(message).map(([name, value]) => `<${name}>${xmlValue(value)}</${name}>`);
  return `<xml>\n${lines.join('\n')}\n</xml>`;
}

/**
 * Mini Program JSON push (wechat-api.md §6.4): same field names as the XML, integers as JSON numbers. bigint is
 * written as a bare number literal so 64-bit MsgIds keep every digit (JSON.stringify cannot write bigint).
 */
export function toJson(message: CallbackMessage): string {
  const parts = Object.entries(message).map(([name, value]) => {
    const v = typeof value === 'string' || typeof value === 'object' ? JSON.stringify(value) : String(value);
    return `${JSON.stringify(name)}:${v}`;
  });
  return `{${parts.join(',')}}`;
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
