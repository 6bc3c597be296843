/**
 * The JSON of the tag catalog routes (`/api/v1/tags`, `/api/v1/tag-groups`; DESIGN §5, §8.3). The console imports
 * these types through `@server`; they import only storage's pure type files, so the browser build can use them.
 */
import type { BindingStats, BulkJobJson, TagJobKind } from '../storage/tags/tag.types';

export type { BindingStats, BulkJobJson };

/** The tags module's background job kinds. */
export type BulkJobKindJson = TagJobKind;

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

/** `POST /api/v1/tags/:id/assign|unassign` by a filter too large to do inline: 202 with the job to follow. */
export interface BulkJobQueuedJson {
  jobId: string;
  total: number;
}
