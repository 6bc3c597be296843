import type { Logger } from '../../logger';
import type { CustomerTagSource } from '../../storage/entities';
import type { SegmentService } from '../segments/segment.service';
import { findSegment } from '../../storage/segments/segment.repository';
import type { TagSweeper } from '../outbox/tag-sweeper';
import type { CorpTagLibrary } from '../reconcile/corp-tag-library';
import type { TagsDeps } from '../tags-deps';
import type { BulkAssigner } from './bulk-assigner';
import {
  TAG_JOB_KINDS,
  claimJob,
  finishJob,
  reportProgress,
  requeueJob,
  type BulkJob,
} from '../../storage/tags/bulk-job.repository';
import { MAX_ATTEMPTS, classifyFailure, retryDelayMs } from '../outbox/push-errors';
import type { CustomerFilter } from '../../customers/customer-filter';

export interface TagJobServices {
  bulk: BulkAssigner;
  segments: SegmentService;
  sweeper: TagSweeper;
  /** Only where WeChat clients exist (the background worker, the CLI). */
  library?: CorpTagLibrary;
}

const LEASE_MS = 120_000;
const READS: readonly string[] = ['tags.corp-library'];

/**
 * Runs the tags module's `bulk_jobs` one at a time per runner (claimed once across instances, lease renewed
 * with every progress report; a runner that dies leaves the job to be claimed again when the lease ends).
 */
export class TagJobRunner {
  constructor(
    private readonly deps: TagsDeps,
    private readonly services: TagJobServices,
    private readonly owner: string,
  ) {}

  /** Claims and runs the next queued job; false when there is none. */
  async runNext(): Promise<boolean> {
    const kinds = TAG_JOB_KINDS.filter((k) => k !== 'tags.corp-library' || this.services.library);
    const job = await claimJob(this.deps.ds, kinds, this.owner, new Date(this.deps.now()), LEASE_MS);
    if (!job) return false;
    const now = () => new Date(this.deps.now());
    try {
      const result = await this.run(job, async (processed, total) =>
        reportProgress(this.deps.ds, job.id, { processed, total }, new Date(this.deps.now() + LEASE_MS), now()),
      );
      await finishJob(this.deps.ds, job.id, { status: 'done', result }, now());
    } catch (err) {
      log(this.deps.logger, job, err);
      const message = err instanceof Error ? err.message.slice(0, 1000) : String(err);
      // The library re-read a callback asked for is retried with backoff; bulk work fails visibly and is started again by hand.
      const attempts = Number(job.result?.attempts ?? 0) + 1;
      const failure = classifyFailure(err);
      if (READS.includes(job.kind) && !failure.permanent && attempts < MAX_ATTEMPTS) {
        await requeueJob(
          this.deps.ds,
          job.id,
          attempts,
          new Date(this.deps.now() + retryDelayMs(attempts, failure)),
          message,
          now(),
        );
      } else {
        await finishJob(this.deps.ds, job.id, { status: 'failed', error: message }, now());
      }
    }
    return true;
  }

  private async run(
    job: BulkJob,
    progress: (processed: number, total?: number) => Promise<void>,
  ): Promise<Record<string, unknown>> {
    const p = job.params;
    const actor = { name: job.createdBy ?? 'system', role: null };
    switch (job.kind) {
      case 'tags.assign':
      case 'tags.unassign': {
        const op = job.kind === 'tags.assign' ? 'assign' : 'unassign';
        const tagId = String(p.tagId);
        const source = (p.source as CustomerTagSource | undefined) ?? 'manual';
        const sel = p.filter ? { filter: p.filter as CustomerFilter } : { holders: { tagId, source } };
        const total = await this.services.bulk.count(sel);
        await progress(0, total);
        return { ...(await this.services.bulk.run(op, tagId, sel, { source, actor }, (n) => progress(n, total))) };
      }
      case 'tags.sweep':
        return { ...(await this.services.sweeper.sweepTag(String(p.tagId), (n) => progress(n))) };
      case 'segments.run': {
        const segment = await findSegment(this.deps.ds, String(p.segmentId));
        if (!segment) throw new Error(`segment ${String(p.segmentId)} no longer exists`);
        return { ...(await this.services.segments.runNow(segment, actor, progress)) };
      }
      case 'tags.corp-library':
        return { ...(await this.services.library!.refresh(String(p.corpId))) };
    }
  }
}

function log(logger: Logger, job: BulkJob, err: unknown): void {
  logger.warn({ err, jobId: job.id, kind: job.kind }, 'tag job failed');
}
