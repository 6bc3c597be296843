import type { Account, MiniProgramAccount, OfficialAccount, SiyuConfig, WechatPayAccount, WecomAccount } from './types';

/** Account lookups by the id used in routes (appId / corpId / mchId) or by the admin API account id. */
export function findOfficialAccount(cfg: SiyuConfig, appId: string): OfficialAccount | undefined {
  return cfg.accounts.find((a): a is OfficialAccount => a.kind === 'official-account' && a.appId === appId);
}
export function findMiniProgram(cfg: SiyuConfig, appId: string): MiniProgramAccount | undefined {
  return cfg.accounts.find((a): a is MiniProgramAccount => a.kind === 'mini-program' && a.appId === appId);
}
export function findWecom(cfg: SiyuConfig, corpId: string): WecomAccount | undefined {
  return cfg.accounts.find((a): a is WecomAccount => a.kind === 'wecom' && a.corpId === corpId);
}
export function findWechatPay(cfg: SiyuConfig, mchId: string): WechatPayAccount | undefined {
  return cfg.accounts.find((a): a is WechatPayAccount => a.kind === 'wechat-pay' && a.mchId === mchId);
}
export function findAccountById(cfg: SiyuConfig, id: string): Account | undefined {
  return cfg.accounts.find((a) => a.id === id);
}
