/**
 * The JSON of `GET /api/v1/audit` (DESIGN §7). The console imports these types through `@server`; they import
 * nothing, so the browser build can use them.
 */

/**
 * One audit entry; a sales rep's (`wecom:<userid>`) carries the staff directory's name, null until known; a
 * console operator's (`operator:<id>`) their name and, for a WeCom member, their userid.
 */
export interface AuditRowJson {
  id: string;
  actor: string;
  actorName: string | null;
  actorUserid?: string;
  role: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface AuditPageJson {
  items: AuditRowJson[];
  nextCursor: string | null;
}
