import type { RelationReadHook } from '../../syncs/refresh/relation-read-hooks';
import { RelationObserver } from './relation-observer';

const observer = new RelationObserver();

/**
 * The tags module's part of a WeCom relation re-read (src/syncs/refresh/relation-read-hooks.ts, run after an
 * add/edit_external_contact callback): the corp tags (type 1) each relation actually carries are recorded —
 * a staff member's tag becomes a `wechat` assignment, our own echo changes nothing.
 */
export const tagsRelationReadHook: RelationReadHook = {
  name: 'tags.relation-tags',
  async apply(em, read) {
    const relations = read.follows.map((f) => ({
      userid: f.userid,
      externalUserid: read.externalUserid,
      corpTagIds: (f.tags ?? []).filter((t) => t.type !== 2 && typeof t.tag_id === 'string').map((t) => t.tag_id!),
    }));
    await observer.observe(em, read.corpId, relations, read.readAt);
  },
};
