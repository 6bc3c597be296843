import type { SyncTask, SyncTaskContext } from '../sync-types';

/** What one read of a corp's tag library reports (the tags module's CorpTagLibrary.refresh). */
export interface LibraryReadResult {
  tags: number;
  created: number;
  lost: number;
}

/**
 * The `corp-tags` full sync: one get_corp_tag_list call returns the whole library (wechat-api.md §5.5), which
 * the tags module reads into the catalog (DESIGN §10.4) — the same read a `change_external_tag` callback asks for.
 * https://developer.work.weixin.qq.com/document/path/92117
 */
export function corpTagsSync(refresh: (corpId: string) => Promise<LibraryReadResult>): SyncTask {
  return {
    async run(ctx: SyncTaskContext) {
      if (ctx.account.kind !== 'wecom') throw new Error('corp-tags needs a wecom account');
      const result = await refresh(ctx.account.corpId);
      await ctx.setTotal(result.tags);
      await ctx.savePage({ done: true }, { processed: result.tags, created: result.created, updated: result.lost });
    },
  };
}
