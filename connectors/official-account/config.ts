import { z } from 'zod';
import { encodingAESKey, httpUrl, nonEmpty } from '../common/config-fields';

export const officialAccountConfig = z
  .object({
    kind: z.literal('official-account'),
    /** Account id used by the admin API (`POST /api/v1/syncs {accountId}`); defaults to the appId. */
    id: nonEmpty.optional(),
    appId: nonEmpty,
    appSecret: nonEmpty,
    token: nonEmpty,
    encodingAESKey: encodingAESKey.optional(),
    previousEncodingAESKey: encodingAESKey.optional(),
    /** Original id `gh_…` (ToUserName of callbacks); optional, checked when present. */
    originalId: nonEmpty.optional(),
    /** Open-platform account the OA is bound to: the scope of its unionids (`default` when unknown). */
    openPlatformId: nonEmpty.default('default'),
    /** `stable` (POST /cgi-bin/stable_token, the default) or `classic` (GET /cgi-bin/token). */
    tokenMode: z.enum(['stable', 'classic']).default('stable'),
    apiBase: httpUrl.default('https://api.weixin.qq.com'),
    oauthBase: httpUrl.default('https://open.weixin.qq.com'),
    /** Where parametric QR code images are served (`showqrcode?ticket=`, no token). */
    mpBase: httpUrl.default('https://mp.weixin.qq.com'),
  })
  .strict();

export type OfficialAccountConfig = z.infer<typeof officialAccountConfig>;
