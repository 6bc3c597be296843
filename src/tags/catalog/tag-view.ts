import type { BindingRecord } from '../../storage/tags/binding.repository';
import type { BindingView, TagView } from '../tags-api.types';
import type { TagRecord } from '../../storage/tags/tag.repository';

export function bindingView(b: BindingRecord): BindingView {
  return {
    id: b.id,
    channel: b.channel,
    account: b.account,
    remoteTagId: b.remoteTagId,
    remoteName: b.remoteName,
    remoteGroupId: b.remoteGroupId,
    remoteGroupName: b.remoteGroupName,
    status: b.status,
    error: b.error,
  };
}

export function tagView(t: TagRecord, bindings: readonly BindingRecord[]): TagView {
  return {
    id: t.id,
    name: t.name,
    groupId: t.groupId,
    groupName: t.groupName,
    description: t.description,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    bindings: bindings.filter((b) => b.tagId === t.id).map(bindingView),
  };
}
