import { setFollowRemark } from '../../storage/follows/follow-remark.repository';
import type { PushContext } from './push-context';
import type { OutboxItem, RemarkPayload } from './outbox-types';

type RemarkItem = OutboxItem & { payload: RemarkPayload };

/**
 * Pushes remark rows of one corp (DESIGN §10.4): one `externalcontact/remark` per relation, at most the account's
 * calls in flight, retried and backed off like tag pushes (push-outcome.ts). Once WeChat accepts, the stored
 * relation takes the remark and description: WeChat sends no callback for API edits (wechat-api-wecom-ops.md §7).
 * https://developer.work.weixin.qq.com/document/path/92115
 */
export async function pushRemarks(ctx: PushContext, corpId: string, items: RemarkItem[]): Promise<void> {
  await Promise.all(
    items.map(async (item) => {
      const blocked = ctx.blockedUntil('wecom', corpId);
      if (blocked) return ctx.outcome.defer(item, blocked);
      await ctx.limiter('wecom', corpId).run(async () => {
        const p = item.payload;
        try {
          ctx.stats.calls++;
          await ctx.clients.wecom(corpId).contacts.remark({
            userid: p.userid,
            externalUserid: p.externalUserid,
            ...(p.remark !== undefined ? { remark: p.remark } : {}),
            ...(p.description !== undefined ? { description: p.description } : {}),
            // WeChat replaces the list; [""] clears it.
            ...(p.remarkMobiles !== undefined
              ? { remarkMobiles: p.remarkMobiles.length ? p.remarkMobiles : [''] }
              : {}),
          });
        } catch (err) {
          ctx.noteFailure('wecom', corpId, err);
          ctx.outcome.fail(item, err);
          return;
        }
        await setFollowRemark(ctx.ds, corpId, p, ctx.now());
        ctx.outcome.done(item);
      });
    }),
  );
}
