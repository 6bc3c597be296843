import { findWecom, type SiyuConfig, type WecomAccount } from '../../config';
import { SidebarError } from './sidebar.errors';

/** A corp whose self-built app hosts the sidebar: OAuth and agentConfig need its agentId and agentSecret. */
export type SidebarCorp = WecomAccount & { agentId: number; agentSecret: string };

/**
 * Which corp a sidebar request is for: `?corpId=` when given, else the only configured WeCom account (the usual
 * single-corp deployment); several corps and no corpId cannot be guessed (400).
 */
export function sidebarCorp(config: SiyuConfig, corpId: unknown): SidebarCorp {
  let account: WecomAccount | undefined;
  if (typeof corpId === 'string' && corpId !== '') {
    account = findWecom(config, corpId);
    if (!account) throw new SidebarError('CORP_NOT_FOUND', `no WeCom account ${corpId} is configured`);
  } else if (corpId !== undefined && corpId !== '') {
    throw new SidebarError('CORP_REQUIRED', 'give one corpId');
  } else {
    const all = config.accounts.filter((a): a is WecomAccount => a.kind === 'wecom');
    if (all.length === 0) throw new SidebarError('CORP_NOT_FOUND', 'no WeCom account is configured');
    if (all.length > 1)
      throw new SidebarError('CORP_REQUIRED', 'several WeCom corps are configured: open the sidebar with ?corpId=');
    account = all[0]!;
  }
  if (account.agentId === undefined || account.agentSecret === undefined) {
    throw new SidebarError(
      'SIDEBAR_NOT_CONFIGURED',
      `WeCom account ${account.corpId} has no agentId/agentSecret (the sidebar's app)`,
    );
  }
  return account as SidebarCorp;
}
