import type { SourceConfig } from './schema';
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

/**
 * The configured name of the account an id points at — its admin id, appId, corpId or mchId (identity scopes,
 * subscriptions and follows name accounts by appId / corpId) — or null when unnamed or not configured.
 */
export function accountName(cfg: SiyuConfig, id: string): string | null {
  const a = cfg.accounts.find(
    (x) =>
      x.id === id ||
      ('appId' in x && x.appId === id) ||
      ('corpId' in x && x.corpId === id) ||
      ('mchId' in x && x.mchId === id),
  );
  return a?.name ?? null;
}

/**
 * The scopes a unionid from another system may take when it names none: the open platforms the configured
 * accounts name (`openPlatformId`, `default` unless set; `default` too while no account is configured), sorted.
 * One is the scope to use, so the unionid finds the customers WeChat's unionids made; several leave the caller to
 * say which, or the unionid would be stored where no WeChat identity is.
 */
export function unionidScopes(cfg: SiyuConfig): string[] {
  const ids = new Set<string>();
  for (const a of cfg.accounts) if ('openPlatformId' in a) ids.add(a.openPlatformId);
  return ids.size === 0 ? ['default'] : [...ids].sort();
}

/** A configured third-party source (DESIGN §11 `sources`) by its id. */
export function findSource(cfg: SiyuConfig, id: string): SourceConfig | undefined {
  return cfg.sources.find((s) => s.id === id);
}

/** What an import or the events API answers for a source id the config does not name. */
export function unknownSourceMessage(cfg: SiyuConfig, id: string): string {
  const known = cfg.sources.map((s) => s.id).join(', ');
  return `unknown source ${JSON.stringify(id)}; configured sources: ${known || 'none (add sources: [{ id, name }] to the config)'}`;
}

/** What screens call an identity's scope: the source's name for an `external_id`, else the account's. */
export function scopeName(cfg: SiyuConfig, type: string, scope: string): string | null {
  return type === 'external_id' ? (findSource(cfg, scope)?.name ?? null) : accountName(cfg, scope);
}
