import { z } from 'zod';
import { encodingAESKey, httpUrl, nonEmpty } from '../common/config-fields';

export const wecomConfig = z
  .object({
    kind: z.literal('wecom'),
    id: nonEmpty.optional(),
    corpId: nonEmpty,
    /** Secret of the customer-contact ("客户联系") app: external contact APIs. */
    contactSecret: nonEmpty,
    /** Secret of 通讯录同步 (contact sync): the only one user/list_id accepts; the staff sync reads the whole directory with it. */
    directorySecret: nonEmpty.optional(),
    agentId: z.coerce.number().int().positive().optional(),
    /** Secret of the self-built app hosting the sidebar: OAuth and agentConfig tickets. */
    agentSecret: nonEmpty.optional(),
    token: nonEmpty,
    encodingAESKey: encodingAESKey,
    previousEncodingAESKey: encodingAESKey.optional(),
    openPlatformId: nonEmpty.default('default'),
    apiBase: httpUrl.default('https://qyapi.weixin.qq.com'),
    oauthBase: httpUrl.default('https://open.weixin.qq.com'),
    /** WeCom Web login (the console's sign-in on a PC): `wwlogin/sso/login` under this base. */
    loginBase: httpUrl.default('https://login.work.weixin.qq.com'),
    /** One script standing in for WeChat's JS-SDK on the sidebar page (an emulator's simulator); default the official two. */
    jsSdkUrl: httpUrl.optional(),
  })
  .strict();

export type WecomConfig = z.infer<typeof wecomConfig>;

/** WeChat's JS-SDK for WeCom pages (wechat-api.md §5.12): jweixin for `wx.config`, jwxwork for `wx.agentConfig`. */
export const WECOM_JSSDK_URLS: readonly string[] = [
  'https://res.wx.qq.com/open/js/jweixin-1.2.0.js',
  'https://open.work.weixin.qq.com/wwopen/js/jwxwork-1.0.0.js',
];
