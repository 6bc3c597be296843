import { type Db, type Row, execute, fromDbTime, fromJsonText, idString, select } from '../sql';
import type { Rule } from './rule-types';
import type { SegmentJson } from './segment.types';

/** A segment as stored: SegmentJson with its times as Dates. */
export type SegmentRecord = Omit<SegmentJson, 'lastRunAt' | 'createdAt' | 'updatedAt'> & {
  lastRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS =
  's.id, s.name, s.tag_id, t.name AS tag_name, s.rule, s.schedule, s.enabled, s.last_run_at, s.last_count, s.last_error, s.created_at, s.updated_at';
const FROM = 'FROM segments s LEFT JOIN tags t ON t.id = s.tag_id';

function toSegment(r: Row): SegmentRecord {
  return {
    id: idString(r.id),
    name: String(r.name),
    tagId: r.tag_id === null || r.tag_id === undefined ? null : idString(r.tag_id),
    tagName: (r.tag_name as string | null) ?? null,
    rule: fromJsonText<Rule>(r.rule)!,
    schedule: (r.schedule as string | null) ?? null,
    enabled: Number(r.enabled) === 1 || r.enabled === true,
    lastRunAt: fromDbTime(r.last_run_at),
    lastCount: r.last_count === null || r.last_count === undefined ? null : Number(r.last_count),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

export async function listSegments(
  db: Db,
  opts: { after?: string; limit: number; scheduledOnly?: boolean },
): Promise<SegmentRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.after) {
    where.push('s.id > ?');
    params.push(opts.after);
  }
  if (opts.scheduledOnly) where.push('s.schedule IS NOT NULL AND s.enabled = 1 AND s.tag_id IS NOT NULL');
  const rows = await select(
    db,
    `SELECT ${COLUMNS} ${FROM}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id LIMIT ${Math.trunc(opts.limit)}`,
    params,
  );
  return rows.map(toSegment);
}

export async function findSegment(db: Db, id: string): Promise<SegmentRecord | undefined> {
  const rows = await select(db, `SELECT ${COLUMNS} ${FROM} WHERE s.id = ?`, [id]);
  return rows[0] ? toSegment(rows[0]) : undefined;
}

export async function segmentOfTag(db: Db, tagId: string): Promise<SegmentRecord | undefined> {
  const rows = await select(db, `SELECT ${COLUMNS} ${FROM} WHERE s.tag_id = ? ORDER BY s.id LIMIT 1`, [tagId]);
  return rows[0] ? toSegment(rows[0]) : undefined;
}

export async function insertSegment(
  db: Db,
  s: { name: string; tagId: string; rule: Rule; schedule: string | null; enabled: boolean; now: Date },
): Promise<string> {
  const r = await execute(
    db,
    'INSERT INTO segments (name, tag_id, rule, schedule, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [s.name, s.tagId, JSON.stringify(s.rule), s.schedule, s.enabled, s.now, s.now],
  );
  if (!r.insertId) throw new Error('segment insert returned no id');
  return r.insertId;
}

export async function updateSegment(
  db: Db,
  id: string,
  f: { name?: string; tagId?: string; rule?: Rule; schedule?: string | null; enabled?: boolean },
  now: Date,
): Promise<void> {
  const changes: [string, unknown][] = [];
  if (f.name !== undefined) changes.push(['name', f.name]);
  if (f.tagId !== undefined) changes.push(['tag_id', f.tagId]);
  if (f.rule !== undefined) changes.push(['rule', JSON.stringify(f.rule)]);
  if (f.schedule !== undefined) changes.push(['schedule', f.schedule]);
  if (f.enabled !== undefined) changes.push(['enabled', f.enabled]);
  changes.push(['updated_at', now]);
  await execute(db, `UPDATE segments SET ${changes.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, [
    ...changes.map(([, v]) => v),
    id,
  ]);
}

export async function recordRun(
  db: Db,
  id: string,
  r: { at: Date; count: number | null; error: string | null },
): Promise<void> {
  await execute(
    db,
    'UPDATE segments SET last_run_at = ?, last_count = COALESCE(?, last_count), last_error = ?, updated_at = ? WHERE id = ?',
    [r.at, r.count, r.error, r.at, id],
  );
}

export async function deleteSegment(db: Db, id: string): Promise<void> {
  await execute(db, 'DELETE FROM segments WHERE id = ?', [id]);
}

export function segmentView(s: SegmentRecord): SegmentJson {
  return {
    id: s.id,
    name: s.name,
    tagId: s.tagId,
    tagName: s.tagName,
    rule: s.rule,
    schedule: s.schedule,
    enabled: s.enabled,
    lastRunAt: s.lastRunAt?.toISOString() ?? null,
    lastCount: s.lastCount,
    lastError: s.lastError,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** Stops the segments producing a tag that left the catalog. */
export async function disableSegmentsOfTag(db: Db, tagId: string, now: Date): Promise<void> {
  await execute(db, 'UPDATE segments SET enabled = 0, updated_at = ? WHERE tag_id = ?', [now, tagId]);
}
