import { z } from 'zod';
import { encodingAESKey, httpUrl, nonEmpty } from '../common/config-fields';

export const wecomConfig = z
  .object({
    kind: z.literal('wecom'),
    id: nonEmpty.optional(),
    corpId: nonEmpty,
    /** Secret of the customer-contact ("客户联系") app: external contact APIs. */
    contactSecret: nonEmpty,
    agentId: z.coerce.number().int().positive().optional(),
    /** Secret of the self-built app hosting the sidebar: OAuth and agentConfig tickets. */
    agentSecret: nonEmpty.optional(),
    token: nonEmpty,
    encodingAESKey: encodingAESKey,
    previousEncodingAESKey: encodingAESKey.optional(),
    openPlatformId: nonEmpty.default('default'),
    apiBase: httpUrl.default('https://qyapi.weixin.qq.com'),
    oauthBase: httpUrl.default('https://open.weixin.qq.com'),
  })
  .strict();

export type WecomConfig = z.infer<typeof wecomConfig>;
