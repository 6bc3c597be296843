import type { ChannelKind, ChannelRow } from '../entities/channel.entity';
import { type Db, type Row, execute, fromDbTime, fromJsonText, idString, select, toDbTime } from '../sql';

const COLUMNS = `id, name, kind, account_id, code, config_id, ticket, qr_url, permanent, expire_seconds, expires_at,
  staff_userids, skip_verify, tag_ids, welcome_text, created_by, deleted_at, created_at, updated_at`;

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toChannel(r: Row): ChannelRow {
  return {
    id: idString(r.id),
    name: String(r.name),
    kind: r.kind as ChannelKind,
    accountId: String(r.account_id),
    code: String(r.code),
    configId: text(r.config_id),
    ticket: text(r.ticket),
    qrUrl: text(r.qr_url),
    permanent: Number(r.permanent) === 1 || r.permanent === true,
    expireSeconds: r.expire_seconds === null || r.expire_seconds === undefined ? null : Number(r.expire_seconds),
    expiresAt: fromDbTime(r.expires_at),
    staffUserids: fromJsonText<string[]>(r.staff_userids),
    skipVerify: Number(r.skip_verify) === 1 || r.skip_verify === true,
    tagIds: (fromJsonText<unknown[]>(r.tag_ids) ?? []).map(String),
    welcomeText: text(r.welcome_text),
    createdBy: text(r.created_by),
    deletedAt: fromDbTime(r.deleted_at),
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

export type NewChannel = Omit<ChannelRow, 'id' | 'deletedAt' | 'createdAt' | 'updatedAt'>;

/** Inserts a channel; returns its id. The (kind, account, code) key is unique. */
export async function insertChannel(db: Db, c: NewChannel, now: Date): Promise<string> {
  const at = toDbTime(now);
  const r = await execute(
    db,
    `INSERT INTO channels (name, kind, account_id, code, config_id, ticket, qr_url, permanent, expire_seconds, expires_at,
      staff_userids, skip_verify, tag_ids, welcome_text, created_by, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      c.name,
      c.kind,
      c.accountId,
      c.code,
      c.configId,
      c.ticket,
      c.qrUrl,
      c.permanent,
      c.expireSeconds,
      c.expiresAt,
      c.staffUserids,
      c.skipVerify,
      c.tagIds,
      c.welcomeText,
      c.createdBy,
      at,
      at,
    ],
  );
  if (r.insertId !== undefined) return r.insertId;
  const [row] = await select(db, 'SELECT id FROM channels WHERE kind = ? AND account_id = ? AND code = ?', [
    c.kind,
    c.accountId,
    c.code,
  ]);
  return idString(row!.id);
}

/** A live (not deleted) channel by id. */
export async function findChannel(db: Db, id: string): Promise<ChannelRow | undefined> {
  const [r] = await select(db, `SELECT ${COLUMNS} FROM channels WHERE id = ? AND deleted_at IS NULL`, [id]);
  return r ? toChannel(r) : undefined;
}

/**
 * Of `ids`, those naming a channel row, deleted ones included: a deleted code's arrivals stay in customer_channels,
 * so a segment may still ask for them.
 */
export async function knownChannelIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Set();
  const rows = await select(db, `SELECT id FROM channels WHERE id IN (${wanted.map(() => '?').join(', ')})`, wanted);
  return new Set(rows.map((r) => idString(r.id)));
}

/** The live channel WeChat names by scene (OA) or state (WeCom) on an account: what attribution looks up. */
export async function findChannelByCode(
  db: Db,
  kind: ChannelKind,
  accountId: string,
  code: string,
): Promise<ChannelRow | undefined> {
  const [r] = await select(
    db,
    `SELECT ${COLUMNS} FROM channels WHERE kind = ? AND account_id = ? AND code = ? AND deleted_at IS NULL`,
    [kind, accountId, code],
  );
  return r ? toChannel(r) : undefined;
}

/** Live channels newest first, optionally of one account, before a keyset cursor. */
export async function pageChannels(
  db: Db,
  f: { accountId?: string; beforeId?: string },
  limit: number,
): Promise<ChannelRow[]> {
  const where = ['deleted_at IS NULL'];
  const params: unknown[] = [];
  if (f.accountId !== undefined) {
    where.push('account_id = ?');
    params.push(f.accountId);
  }
  if (f.beforeId !== undefined) {
    where.push('id < ?');
    params.push(f.beforeId);
  }
  const rows = await select(
    db,
    `SELECT ${COLUMNS} FROM channels WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${Math.trunc(limit)}`,
    params,
  );
  return rows.map(toChannel);
}

export type ChannelChanges = Partial<
  Pick<ChannelRow, 'name' | 'staffUserids' | 'skipVerify' | 'tagIds' | 'welcomeText' | 'qrUrl'>
>;

const CHANGE_COLUMNS: Record<keyof ChannelChanges, string> = {
  name: 'name',
  staffUserids: 'staff_userids',
  skipVerify: 'skip_verify',
  tagIds: 'tag_ids',
  welcomeText: 'welcome_text',
  qrUrl: 'qr_url',
};

export async function updateChannel(db: Db, id: string, changes: ChannelChanges, now: Date): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [k, column] of Object.entries(CHANGE_COLUMNS) as [keyof ChannelChanges, string][]) {
    if (changes[k] === undefined) continue;
    sets.push(`${column} = ?`);
    params.push(changes[k]);
  }
  sets.push('updated_at = ?');
  params.push(toDbTime(now), id);
  await execute(db, `UPDATE channels SET ${sets.join(', ')} WHERE id = ?`, params);
}

/** Marks a channel deleted: it attributes nothing more, its customers keep their history. */
export async function markChannelDeleted(db: Db, id: string, now: Date): Promise<boolean> {
  const at = toDbTime(now);
  return (
    (
      await execute(db, 'UPDATE channels SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL', [
        at,
        at,
        id,
      ])
    ).affected > 0
  );
}
