/**
 * The chat open in the simulated WeCom client of each corp: which member is chatting with which customer, and
 * from where the sidebar was opened (`getContext` entry, wechat-api.md §5.12).
 */
export const CONTEXT_ENTRIES = [
  'contact_profile',
  'single_chat_tools',
  'group_chat_tools',
  'chat_attachment',
  'single_kf_tools',
  'chain_single_chat_tools',
  'chain_group_chat_tools',
  'internal_group_chat_board',
  'normal',
] as const;
export type ContextEntry = (typeof CONTEXT_ENTRIES)[number];

/** Entries where `getCurExternalContact` answers: a one-to-one chat toolbar or a customer's profile page. */
export const EXTERNAL_CONTACT_ENTRIES: readonly ContextEntry[] = ['single_chat_tools', 'contact_profile'];

export interface CurrentChat {
  userid: string;
  externalUserId: string;
  entry: ContextEntry;
}

export class CurrentChats {
  private readonly byCorp = new Map<string, CurrentChat>();

  set(corpId: string, chat: CurrentChat): void {
    this.byCorp.set(corpId, chat);
  }

  get(corpId: string): CurrentChat | undefined {
    return this.byCorp.get(corpId);
  }

  clear(corpId: string): void {
    this.byCorp.delete(corpId);
  }
}
