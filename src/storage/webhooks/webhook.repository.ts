import type { WebhookRow } from '../entities/webhook.entity';
import { selectNewestFirst } from '../newest-first';
import { type Db, type Row, execute, fromDbTime, fromJsonText, idString, select } from '../sql';

export type NewWebhook = Pick<WebhookRow, 'url' | 'events' | 'description' | 'secretSealed' | 'createdBy'>;
export type WebhookChanges = Partial<Pick<WebhookRow, 'url' | 'events' | 'description' | 'enabled'>>;

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toWebhook(r: Row): WebhookRow {
  return {
    id: idString(r.id),
    url: String(r.url),
    events: fromJsonText<string[]>(r.events) ?? [],
    description: text(r.description),
    secretSealed: String(r.secret_sealed),
    enabled: Number(r.enabled) === 1 || r.enabled === true,
    createdBy: text(r.created_by),
    deletedAt: fromDbTime(r.deleted_at),
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

export async function insertWebhook(db: Db, w: NewWebhook, now: Date): Promise<string> {
  const r = await execute(
    db,
    `INSERT INTO webhooks (url, events, description, secret_sealed, enabled, created_by, created_at, updated_at)
      VALUES (?, ?, ?, ?, 1, ?, ?, ?)`,
    [w.url, JSON.stringify(w.events), w.description, w.secretSealed, w.createdBy, now, now],
  );
  return r.insertId!;
}

/** A subscription that was not deleted. */
export async function findWebhook(db: Db, id: string): Promise<WebhookRow | null> {
  if (!/^\d{1,19}$/.test(id)) return null;
  const [r] = await select(db, 'SELECT * FROM webhooks WHERE id = ? AND deleted_at IS NULL', [id]);
  return r ? toWebhook(r) : null;
}

export async function pageWebhooks(db: Db, beforeId: string | undefined, limit: number): Promise<WebhookRow[]> {
  const rows = await selectNewestFirst(
    db,
    'webhooks',
    '*',
    [['deleted_at IS NULL'], beforeId !== undefined && ['id < ?', beforeId]],
    limit,
  );
  return rows.map(toWebhook);
}

export async function updateWebhook(db: Db, id: string, c: WebhookChanges, now: Date): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown): void => {
    sets.push(`${column} = ?`);
    params.push(value);
  };
  if (c.url !== undefined) set('url', c.url);
  if (c.events !== undefined) set('events', JSON.stringify(c.events));
  if (c.description !== undefined) set('description', c.description);
  if (c.enabled !== undefined) set('enabled', c.enabled);
  set('updated_at', now);
  await execute(db, `UPDATE webhooks SET ${sets.join(', ')} WHERE id = ? AND deleted_at IS NULL`, [...params, id]);
}

/** Soft delete: the subscription stops and disappears from the API; its deliveries stay for the record. */
export async function markWebhookDeleted(db: Db, id: string, now: Date): Promise<boolean> {
  const r = await execute(
    db,
    'UPDATE webhooks SET deleted_at = ?, enabled = 0, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
    [now, now, id],
  );
  return r.affected > 0;
}

/** Enabled subscriptions with the event types they want: the event writer's cached lookup. */
export async function enabledSubscriptions(db: Db): Promise<{ id: string; events: string[] }[]> {
  const rows = await select(db, 'SELECT id, events FROM webhooks WHERE enabled = 1 AND deleted_at IS NULL');
  return rows.map((r) => ({ id: idString(r.id), events: fromJsonText<string[]>(r.events) ?? [] }));
}
