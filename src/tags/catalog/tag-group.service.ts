import { AuditLogWriter } from '../../audit/audit-log.writer';
import { isDuplicateKeyError } from '../../storage/sql';
import { tagConflict, tagNotFound } from '../tag-errors';
import type { Actor, TagsDeps } from '../tags-deps';
import { countTagsInGroup } from '../../storage/tags/tag.repository';
import type { TagGroupView } from '../tags-api.types';
import {
  deleteGroup,
  findGroup,
  insertGroup,
  listGroups,
  renameGroup,
  type TagGroupRecord,
} from '../../storage/tags/tag-group.repository';

const view = (g: TagGroupRecord): TagGroupView => ({
  id: g.id,
  name: g.name,
  createdAt: g.createdAt.toISOString(),
  updatedAt: g.updatedAt.toISOString(),
});

/** Tag groups of the catalog (`/api/v1/tag-groups`): names are unique; a group still holding tags cannot go. */
export class TagGroupService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: TagsDeps) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(): Promise<TagGroupView[]> {
    return (await listGroups(this.deps.ds)).map(view);
  }

  async create(name: string, actor: Actor): Promise<TagGroupView> {
    const id = await this.unique(() =>
      this.deps.ds.transaction(async (m) => {
        const gid = await insertGroup(m, name, new Date(this.deps.now()));
        await this.audit.write(
          {
            actor: actor.name,
            role: actor.role ?? null,
            action: 'tag_group.create',
            targetType: 'tag_group',
            targetId: gid,
            details: { name },
          },
          m,
        );
        return gid;
      }),
    );
    return view((await findGroup(this.deps.ds, id))!);
  }

  async rename(id: string, name: string, actor: Actor): Promise<TagGroupView> {
    if (!(await findGroup(this.deps.ds, id))) throw tagNotFound(`tag group ${id}`);
    await this.unique(() =>
      this.deps.ds.transaction(async (m) => {
        await renameGroup(m, id, name, new Date(this.deps.now()));
        await this.audit.write(
          {
            actor: actor.name,
            role: actor.role ?? null,
            action: 'tag_group.update',
            targetType: 'tag_group',
            targetId: id,
            details: { name },
          },
          m,
        );
      }),
    );
    return view((await findGroup(this.deps.ds, id))!);
  }

  async remove(id: string, actor: Actor): Promise<void> {
    const g = await findGroup(this.deps.ds, id);
    if (!g) throw tagNotFound(`tag group ${id}`);
    if ((await countTagsInGroup(this.deps.ds, id)) > 0)
      throw tagConflict(`tag group ${id} still holds tags; move or delete them first`);
    await this.deps.ds.transaction(async (m) => {
      await deleteGroup(m, id);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'tag_group.delete',
          targetType: 'tag_group',
          targetId: id,
          details: { name: g.name },
        },
        m,
      );
    });
  }

  private async unique<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isDuplicateKeyError(err)) throw tagConflict('a tag group with this name already exists');
      throw err;
    }
  }
}
