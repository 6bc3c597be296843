/**
 * The JSON of the tag catalog routes (`/api/v1/tags`, `/api/v1/tag-groups`; DESIGN §5, §8.3). The console imports
 * these types through `@server`; they import nothing, so the browser build can use them.
 */

export interface BindingView {
  id: string;
  channel: 'oa' | 'wecom';
  /** appid (oa) or corpid (wecom). */
  account: string;
  remoteTagId: string | null;
  remoteName: string | null;
  remoteGroupId: string | null;
  remoteGroupName: string | null;
  status: string;
  error: string | null;
}

export interface TagView {
  id: string;
  name: string;
  groupId: string | null;
  groupName: string | null;
  description: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  bindings: BindingView[];
}

export interface TagGroupView {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

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

/** `GET /api/v1/tags/:id`: the tag with its customers by assignment source and each binding's push state. */
export interface TagDetail extends TagView {
  customers: number;
  bySource: Record<string, number>;
  bindings: (BindingView & { stats: BindingStats })[];
}

export interface TagPage {
  items: TagView[];
  nextCursor: string | null;
}

/** The tags module's background job kinds (bulk-job.repository.ts `TagJobKind` must fit this one). */
export type BulkJobKindJson = 'tags.assign' | 'tags.unassign' | 'tags.sweep' | 'segments.run' | 'tags.corp-library';

/** `GET /api/v1/bulk-jobs/:id`: a background job's progress; `percent` is null while the total is unknown. */
export interface BulkJobJson {
  id: string;
  kind: BulkJobKindJson;
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

/** `POST /api/v1/tags/:id/assign|unassign` by a filter too large to do inline: 202 with the job to follow. */
export interface BulkJobQueuedJson {
  jobId: string;
  total: number;
}
