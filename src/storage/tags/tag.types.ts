/**
 * Tag push statistics and background jobs as the tag queries answer them, in the JSON the tag routes send
 * (tags-api.types.ts re-exports these). Pure types: the console's browser build reads them through `@server`.
 */

/**
 * Work the tags module does in the background, kept in `bulk_jobs` so it survives a restart and runs once
 * across instances: bulk (un)assignment by filter, segment runs, re-pushing a tag to a new binding, and the corp
 * tag library re-read a `change_external_tag` callback asks for (it must not run inside the inbox transaction).
 */
export type TagJobKind = 'tags.assign' | 'tags.unassign' | 'tags.sweep' | 'segments.run' | 'tags.corp-library';

/** Per binding, over its targets (OA followers / WeCom relations of customers that should carry the tag). */
export interface BindingStats {
  /** Targets that should carry the tag. */
  desired: number;
  /** Targets WeChat holds the tag on. */
  pushed: number;
  /** Adds not done yet plus removals still owed. */
  pending: number;
  /** Subjects WeChat refused for good (last_errcode set). */
  failed: number;
  /** Subjects whose WeChat state was found to differ from the desired state (reconcile / re-read). */
  drifted: number;
}

/** `GET /api/v1/bulk-jobs/:id`: a background job's progress; `percent` is null while the total is unknown. */
export interface BulkJobJson {
  id: string;
  kind: TagJobKind;
  status: 'queued' | 'running' | 'done' | 'failed';
  processed: number;
  total: number | null;
  percent: number | null;
  result: Record<string, unknown> | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
