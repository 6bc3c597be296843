import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** Ids of every row a merge moved from the merged customer to the survivor: enough to undo it. */
export interface MergeMoved {
  identities: string[];
  customerTags: string[];
  wecomFollows: string[];
  oaSubscriptions: string[];
  events: string[];
  transactions: string[];
  refunds?: string[];
  [other: string]: string[] | undefined;
}

/** Append-only log of merges (DESIGN §4); an undo sets `undoneAt`/`undoneBy`. */
export interface MergeLogRow {
  id: string;
  survivorId: string;
  mergedId: string;
  reason: string;
  evidence: Record<string, unknown> | null;
  moved: MergeMoved;
  undoneAt: Date | null;
  undoneBy: string | null;
  createdAt: Date;
}

export const MergeLogEntity = new EntitySchema<MergeLogRow>({
  name: 'MergeLog',
  tableName: 'merge_log',
  columns: {
    id: col.id(),
    survivorId: col.key('survivor_id', 36),
    mergedId: col.key('merged_id', 36),
    reason: col.key('reason', 64),
    evidence: col.json('evidence', true),
    moved: col.json('moved'),
    undoneAt: col.time('undone_at', true),
    undoneBy: col.str('undone_by', 128, true),
    createdAt: col.createdAt(),
  },
  indices: [
    { name: 'idx_merge_log_survivor', columns: ['survivorId'] },
    { name: 'idx_merge_log_merged', columns: ['mergedId'] },
    { name: 'idx_merge_log_created_at', columns: ['createdAt'] },
  ],
});
