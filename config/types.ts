import type { z } from 'zod';
import type { configSchema, AccountConfig } from './schema';
import type { OfficialAccountConfig } from '../connectors/official-account/config';
import type { MiniProgramConfig } from '../connectors/mini-program/config';
import type { WecomConfig } from '../connectors/wecom/config';
import type { WechatPayConfig } from '../connectors/wechat-pay/config';

type Parsed = z.infer<typeof configSchema>;

/** Accounts after loading always carry an `id` (the configured one, else appId / corpId / mchId), maybe a `name`. */
export type WithId<T> = T & { id: string; name?: string };
export type OfficialAccount = WithId<OfficialAccountConfig>;
export type MiniProgramAccount = WithId<MiniProgramConfig>;
export type WecomAccount = WithId<WecomConfig>;
export type WechatPayAccount = WithId<WechatPayConfig>;
export type Account = WithId<AccountConfig>;

export interface SiyuConfig extends Omit<Parsed, 'accounts' | 'security'> {
  accounts: readonly Account[];
  security: { dataKey: Buffer; sessionSecret: string; dataKeyIsEphemeral: boolean };
}
