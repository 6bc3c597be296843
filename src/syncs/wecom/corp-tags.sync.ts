import type { DataSource } from 'typeorm';
import type { WecomClient } from '../../../connectors/wecom/client';
import type { SyncTask, SyncTaskContext } from '../sync-types';
import { saveCorpTagLibrary } from './corp-tag.repository';

/**
 * Reads the corp tag library (one get_corp_tag_list call returns it whole; wechat-api.md §5.5) into
 * `wecom_corp_tags`. Also what a `change_external_tag` callback triggers: `refreshCorpTagLibrary`.
 * https://developer.work.weixin.qq.com/document/path/92117
 */
export async function refreshCorpTagLibrary(ds: DataSource, client: WecomClient, now: Date): Promise<{ tags: number; deleted: number }> {
  const groups = await client.corpTags.getCorpTagList();
  return ds.transaction((em) => saveCorpTagLibrary(em, client.corpId, groups, now));
}

export function corpTagsSync(ds: DataSource, client: (corpId: string) => WecomClient): SyncTask {
  return {
    async run(ctx: SyncTaskContext) {
      if (ctx.account.kind !== 'wecom') throw new Error('corp-tags needs a wecom account');
      const result = await refreshCorpTagLibrary(ds, client(ctx.account.corpId), ctx.now());
      await ctx.setTotal(result.tags);
      await ctx.savePage({ done: true }, { processed: result.tags, updated: result.deleted });
    },
  };
}
