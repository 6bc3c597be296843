import { DemoError } from './demo-errors';
import { waitFor } from './demo-http';
import type { DemoWorld } from './demo-world';

interface BindingView {
  channel: 'oa' | 'wecom';
  account: string;
  remoteTagId: string | null;
  status: string;
  error: string | null;
  stats?: { desired: number; pushed: number; pending: number; failed: number; drifted: number };
}

interface TagDetail {
  id: string;
  name: string;
  customers: number;
  bindings: BindingView[];
}

export interface TagFacts {
  tagId: string;
  tagName: string;
  segmentId: string;
  rule: unknown;
  members: number;
  oa: { appId: string; remoteTagId: string; desired: number; pushed: number; failed: number; emulatorMembers: number };
  wecom: {
    corpId: string;
    remoteTagId: string;
    desired: number;
    pushed: number;
    failed: number;
    emulatorRelations: number;
  };
  outbox: { done: number; dead: number; pending: number };
}

// Operators read Chinese first (DESIGN §8): the demo's own tag, its WeCom group and segment are named in Chinese.
export const DEMO_TAG = '活跃客户（演示）';

/**
 * A rule tag end to end: a catalog tag bound to the first OA and the corp, a segment ("paid at least once, or
 * follows the OA and is a WeCom contact"), an on-demand run, the outbox drained by the gateway's own worker
 * (watched through the tag's binding stats and `GET /api/v1/outbox`), then WeChat's actual state read back
 * from the emulator: OA tag members and WeCom relations carrying the corp tag.
 */
export async function pushRuleTag(w: DemoWorld, say: (line: string) => void): Promise<TagFacts> {
  const oa = w.apps.officialAccounts[0]!.appId;
  const corpId = w.apps.corps[0]!.corpId;
  const tag = await w.api.post<TagDetail>('/tags', {
    name: DEMO_TAG,
    description: '由 siyu demo 创建',
    bindings: [
      { channel: 'oa', appId: oa },
      { channel: 'wecom', corpId, groupName: '私域演示' },
    ],
  });
  const rule = {
    any: [
      { type: 'orders', min: 1 },
      {
        all: [
          { type: 'subscribed', appId: oa },
          { type: 'channel', channel: 'wecom', account: corpId },
        ],
      },
    ],
  };
  const segment = await w.api.post<{ id: string }>('/segments', {
    name: '已购买，或关注服务号的企业微信客户',
    tagId: tag.id,
    rule,
  });
  const run = await w.api.post<{ result?: { members: number; added: number }; jobId?: string }>(
    `/segments/${segment.id}/run`,
    {},
  );
  if (!run.result)
    throw new DemoError(
      'UNEXPECTED_ANSWER',
      `POST /api/v1/segments/${segment.id}/run queued job ${run.jobId ?? '?'} instead of running inline`,
    );
  say(
    `  segment #${segment.id} matched ${run.result.members} customers; tag #${tag.id} "${DEMO_TAG}" assigned to ${run.result.added}`,
  );

  const settled = await waitFor(
    'the outbox to push the tag to WeChat',
    async () => {
      const t = await w.api.get<TagDetail>(`/tags/${tag.id}`);
      const done = t.bindings.every(
        (b) => b.status === 'failed' || (b.remoteTagId !== null && b.stats !== undefined && b.stats.pending === 0),
      );
      return done ? t : undefined;
    },
    120_000,
  );
  const failedBinding = settled.bindings.find((b) => b.status === 'failed');
  if (failedBinding)
    throw new DemoError(
      'TAG_NOT_PUSHED',
      `tag binding ${failedBinding.channel} ${failedBinding.account} failed: ${failedBinding.error ?? 'no error given'}`,
    );
  const oaBinding = settled.bindings.find((b) => b.channel === 'oa')!;
  const wecomBinding = settled.bindings.find((b) => b.channel === 'wecom')!;

  const oaState = await w.control.get<{ tags: { id: number; count: number }[] }>(
    `/state/oa/${oa}/tags?tagId=${oaBinding.remoteTagId}&limit=0`,
  );
  const relations = await w.control.get<{ relations: { tags: { id: string }[] }[] }>(
    `/state/wecom/${corpId}/relations?limit=100000`,
  );
  const outbox = {
    done: (await w.api.all<unknown>('/outbox?status=done', 500)).length,
    dead: (await w.api.all<unknown>('/outbox?status=dead', 500)).length,
    pending: (await w.api.all<unknown>('/outbox?status=pending', 500)).length,
  };
  const stats = (b: BindingView) => ({
    desired: b.stats?.desired ?? 0,
    pushed: b.stats?.pushed ?? 0,
    failed: b.stats?.failed ?? 0,
  });
  const facts: TagFacts = {
    tagId: tag.id,
    tagName: DEMO_TAG,
    segmentId: segment.id,
    rule,
    members: run.result.members,
    oa: {
      appId: oa,
      remoteTagId: oaBinding.remoteTagId!,
      ...stats(oaBinding),
      emulatorMembers: oaState.tags[0]?.count ?? 0,
    },
    wecom: {
      corpId,
      remoteTagId: wecomBinding.remoteTagId!,
      ...stats(wecomBinding),
      emulatorRelations: relations.relations.filter((r) => r.tags.some((t) => t.id === wecomBinding.remoteTagId))
        .length,
    },
    outbox,
  };
  say(
    `  pushed: OA tag ${facts.oa.remoteTagId} on ${facts.oa.emulatorMembers} followers, corp tag on ${facts.wecom.emulatorRelations} WeCom relations (outbox ${outbox.done} done, ${outbox.dead} dead)`,
  );
  return facts;
}
