import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** One run of a segment (DESIGN §5): its size and changes, for the segment's size over time. */
export interface SegmentRunRow {
  id: string;
  segmentId: string;
  status: 'done' | 'failed';
  triggeredBy: string | null;
  startedAt: Date;
  finishedAt: Date;
  members: number | null;
  added: number;
  removed: number;
  scanned: number;
  error: string | null;
}

export const SegmentRunEntity = new EntitySchema<SegmentRunRow>({
  name: 'SegmentRun',
  tableName: 'segment_runs',
  columns: {
    id: col.id(),
    segmentId: col.ref('segment_id'),
    status: col.key('status', 16),
    triggeredBy: col.str('triggered_by', 128, true),
    startedAt: col.time('started_at'),
    finishedAt: col.time('finished_at'),
    members: col.count('members', { nullable: true }),
    added: col.count('added', { default: 0 }),
    removed: col.count('removed', { default: 0 }),
    scanned: col.count('scanned', { default: 0 }),
    error: col.text('error', true),
  },
  indices: [{ name: 'idx_segment_runs_segment', columns: ['segmentId', 'id'] }],
});
