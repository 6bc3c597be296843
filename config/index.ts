export { loadConfig, ConfigError, formatConfigError } from './load';
export type { SiyuConfig, Account, OfficialAccount, MiniProgramAccount, WecomAccount, WechatPayAccount } from './types';
export * from './accounts';
