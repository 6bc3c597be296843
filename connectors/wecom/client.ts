import { NotConfiguredError } from '../common/http/not-configured-error';
import type { TokenSource } from '../common/http/token-source';
import type { WechatHttpClient } from '../common/http/wechat-http-client';
import { WecomContactWaysApi } from './client/contact-ways.api';
import { WecomContactsApi } from './client/contacts.api';
import { WecomCorpTagsApi } from './client/corp-tags.api';
import { WecomDirectoryApi } from './client/directory.api';
import { WecomGroupsApi } from './client/groups.api';
import { WecomIdentityApi } from './client/identity.api';
import { WecomTransfersApi } from './client/transfers.api';

export { BY_USER_MAX_LIMIT, BY_USER_MAX_USERIDS } from './client/contacts.api';
export { GROUP_LIST_MAX_LIMIT, GROUP_LIST_MAX_OWNERS } from './client/groups.api';
export { WELCOME_TEXT_MAX_BYTES } from './client/contact-ways.api';
export { TRANSFER_MAX_CUSTOMERS, TRANSFER_MESSAGE_MAX } from './client/transfers.api';
export type { TransferKind, TransferResultRow, TransferStart, UnassignedRow } from './client/transfers.api';
export type {
  ContactWay,
  ContactWayFields,
  ContactWayRequest,
  WelcomeAttachment,
  WelcomeMessage,
} from './client/contact-ways.api';

export interface WecomTokenSources {
  /** Customer-contact secret: external-contact and corp-tag APIs. */
  contact: TokenSource;
  /** Sidebar app (agentSecret): OAuth, JS-SDK tickets. Absent when no agentSecret is configured. */
  agent?: TokenSource;
  /** Contact-sync secret (通讯录同步): the staff directory. Absent when no directorySecret is configured. */
  directory?: TokenSource;
  /** Fetched with the agent token when there is one, else with the contact token. */
  corpJsapiTicket: TokenSource;
  agentConfigTicket?: TokenSource;
}

/** Typed WeCom client for one corp, built by `createClients` (src/tokens/clients.ts). */
export class WecomClient {
  readonly contacts: WecomContactsApi;
  readonly corpTags: WecomCorpTagsApi;
  readonly identity: WecomIdentityApi;
  readonly directory: WecomDirectoryApi;
  readonly groups: WecomGroupsApi;
  readonly contactWays: WecomContactWaysApi;
  readonly transfers: WecomTransfersApi;

  constructor(
    readonly corpId: string,
    readonly http: WechatHttpClient,
    private readonly tokens: WecomTokenSources,
  ) {
    this.contacts = new WecomContactsApi(http, tokens.contact);
    this.corpTags = new WecomCorpTagsApi(http, tokens.contact);
    this.groups = new WecomGroupsApi(http, tokens.contact);
    this.contactWays = new WecomContactWaysApi(http, tokens.contact);
    this.transfers = new WecomTransfersApi(http, tokens.contact);
    this.directory = new WecomDirectoryApi(http, {
      contact: tokens.contact,
      ...(tokens.agent ? { agent: tokens.agent } : {}),
      ...(tokens.directory ? { directory: tokens.directory } : {}),
    });
    this.identity = new WecomIdentityApi(http, tokens.contact, () => this.require(tokens.agent, 'agentSecret'));
  }

  /** Corp ticket for `wx.config` (JS-SDK signature of the sidebar page). */
  jsapiTicket(): Promise<string> {
    return this.tokens.corpJsapiTicket.get();
  }

  /** App ticket for `wx.agentConfig`. */
  agentConfigTicket(): Promise<string> {
    return this.require(this.tokens.agentConfigTicket, 'agentId and agentSecret').get();
  }

  private require(source: TokenSource | undefined, missing: string): TokenSource {
    if (!source) throw new NotConfiguredError(this.corpId, missing);
    return source;
  }
}
