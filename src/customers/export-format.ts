/** One exported customer (DESIGN §11): identities, tags, custom fields and purchases. */
export interface ExportedCustomer {
  id: string;
  name: string;
  displayName: string | null;
  phone: string | null;
  createdAt: string;
  identities: { type: string; scope: string; value: string }[];
  tags: { id: string; name: string; source: string }[];
  attributes: Record<string, unknown>;
  rfm: { orders: number; totalSpentFen: number; totalRefundedFen: number; lastPurchaseAt: string | null };
}

export type ExportFormat = 'csv' | 'ndjson';

/** UTF-8 byte order mark: Excel reads a CSV without it in the system code page and garbles Chinese. */
export const UTF8_BOM = '\ufeff';

/**
 * One CSV field (RFC 4180 quoting). A value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
 * first) is prefixed with `'` (OWASP CSV injection), since names and remarks come from WeChat users.
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV header: fixed columns, then one `attribute.<key>` column per custom field. */
export function csvHeader(attributeKeys: readonly string[]): string {
  return (
    [
      'id',
      'name',
      'displayName',
      'phone',
      'createdAt',
      'identities',
      'tags',
      'orders',
      'totalSpentFen',
      'totalRefundedFen',
      'lastPurchaseAt',
      ...attributeKeys.map((k) => `attribute.${k}`),
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}

export function csvLine(c: ExportedCustomer, attributeKeys: readonly string[]): string {
  return (
    [
      c.id,
      c.name,
      c.displayName,
      c.phone,
      c.createdAt,
      c.identities.map((i) => `${i.type}:${i.scope}:${i.value}`).join('; '),
      c.tags.map((t) => t.name).join('; '),
      c.rfm.orders,
      c.rfm.totalSpentFen,
      c.rfm.totalRefundedFen,
      c.rfm.lastPurchaseAt,
      ...attributeKeys.map((k) => {
        const v = c.attributes[k];
        return Array.isArray(v) ? v.join('; ') : v;
      }),
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}

export function ndjsonLine(c: ExportedCustomer): string {
  return JSON.stringify(c) + '\n';
}
