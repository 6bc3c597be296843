import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** A rule producing a tag (DESIGN §5). `schedule` is a node-cron expression, null = on demand only. */
export interface SegmentRow {
  id: string;
  name: string;
  tagId: string | null;
  rule: Record<string, unknown>;
  schedule: string | null;
  enabled: boolean;
  lastRunAt: Date | null;
  lastCount: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const SegmentEntity = new EntitySchema<SegmentRow>({
  name: 'Segment',
  tableName: 'segments',
  columns: {
    id: col.id(),
    name: col.str('name', 128),
    tagId: col.ref('tag_id', true),
    rule: col.json('rule'),
    schedule: col.key('schedule', 64, { nullable: true }),
    enabled: col.bool('enabled', true),
    lastRunAt: col.time('last_run_at', true),
    lastCount: col.count('last_count', { nullable: true }),
    lastError: col.text('last_error', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  indices: [{ name: 'idx_segments_tag', columns: ['tagId'] }],
});
