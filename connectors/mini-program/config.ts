import { z } from 'zod';
import { encodingAESKey, httpUrl, nonEmpty } from '../common/config-fields';

export const miniProgramConfig = z
  .object({
    kind: z.literal('mini-program'),
    id: nonEmpty.optional(),
    appId: nonEmpty,
    appSecret: nonEmpty,
    token: nonEmpty.optional(),
    encodingAESKey: encodingAESKey.optional(),
    previousEncodingAESKey: encodingAESKey.optional(),
    /** Message push data format configured in the MP console. */
    messageFormat: z.enum(['xml', 'json']).default('xml'),
    openPlatformId: nonEmpty.default('default'),
    apiBase: httpUrl.default('https://api.weixin.qq.com'),
  })
  .strict();

export type MiniProgramConfig = z.infer<typeof miniProgramConfig>;
