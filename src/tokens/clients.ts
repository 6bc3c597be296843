import type { DataSource } from '../storage';
import { httpOptions, type WechatHttpOptions } from '../../connectors/common/http/http-options';
import { WechatHttpClient } from '../../connectors/common/http/wechat-http-client';
import { H5Client } from '../../connectors/h5/client';
import { H5_ERRCODES } from '../../connectors/h5/errors';
import { MiniProgramClient } from '../../connectors/mini-program/client';
import { MINI_PROGRAM_ERRCODES } from '../../connectors/mini-program/errors';
import { mpAccessTokenDefinition } from '../../connectors/mini-program/tokens';
import { OfficialAccountClient } from '../../connectors/official-account/client';
import { OFFICIAL_ACCOUNT_ERRCODES } from '../../connectors/official-account/errors';
import { oaAccessTokenDefinition, oaJsapiTicketDefinition } from '../../connectors/official-account/tokens';
import { WechatPayClient } from '../../connectors/wechat-pay/client';
import { WecomClient } from '../../connectors/wecom/client';
import { WECOM_ERRCODES } from '../../connectors/wecom/errors';
import {
  wecomAccessTokenDefinition,
  wecomAgentTicketDefinition,
  wecomJsapiTicketDefinition,
} from '../../connectors/wecom/tokens';
import { findMiniProgram, findOfficialAccount, findWechatPay, findWecom, type SiyuConfig } from '../../config';
import type { Logger } from '../logger';
import { leaseLock } from './lease-lock';
import { DbTokenStore } from './db-token-store';
import { TokenManager, type TokenManagerOptions } from './token-manager';
import { UnknownAccountError } from './unknown-account.error';

export interface ClientsContext {
  ds: DataSource;
  config: SiyuConfig;
  logger: Logger;
}

export interface ClientsOptions {
  /** ms since epoch for token expiry; tests pass the emulator clock. */
  now?: () => number;
  http?: Partial<WechatHttpOptions>;
  tokens?: Pick<
    TokenManagerOptions,
    'refreshBufferMs' | 'cacheTtlMs' | 'minRefetchIntervalMs' | 'pollMs' | 'waitMs'
  > & { leaseTtlMs?: number };
}

export interface Clients {
  tokens: TokenManager;
  oa(appId: string): OfficialAccountClient;
  wecom(corpId: string): WecomClient;
  mp(appId: string): MiniProgramClient;
  h5(appId: string): H5Client;
  pay(mchId: string): WechatPayClient;
  /**
   * The same accounts on the same token manager and HTTP callers (one concurrency cap per account), making one
   * attempt per call: for callers that retry on their own schedule (the tag outbox backs off and counts every
   * retry, DESIGN §5).
   */
  readonly singleAttempt: Clients;
}

const memo = <T>(build: (id: string) => T): ((id: string) => T) => {
  const built = new Map<string, T>();
  return (id: string): T => {
    let c = built.get(id);
    if (c === undefined) built.set(id, (c = build(id)));
    return c;
  };
};

/**
 * Per-account WeChat clients sharing one token manager over `access_tokens`. Each account gets one HTTP caller
 * (one concurrency cap), built on first use and reused; H5 OAuth gets its own so visitor logins never queue
 * behind a full sync of the same OA.
 */
export function createClients(ctx: ClientsContext, options: ClientsOptions = {}): Clients {
  const { leaseTtlMs, ...tokenOptions } = options.tokens ?? {};
  const tokens = new TokenManager({
    store: new DbTokenStore(ctx.ds),
    lock: leaseLock(ctx.ds, leaseTtlMs),
    logger: ctx.logger,
    ...(options.now ? { now: options.now } : {}),
    ...tokenOptions,
  });
  const logger = ctx.logger.child({ module: 'wechat-http' });
  const httpFor = (baseURL: string, errcodes: typeof WECOM_ERRCODES) =>
    new WechatHttpClient({ baseURL, errcodes, options: httpOptions(options.http), logger });

  const oaAccount = (appId: string) =>
    findOfficialAccount(ctx.config, appId) ?? throwUnknown('official-account', appId);
  const wecomAccount = (corpId: string) => findWecom(ctx.config, corpId) ?? throwUnknown('wecom', corpId);
  const mpAccount = (appId: string) => findMiniProgram(ctx.config, appId) ?? throwUnknown('mini-program', appId);
  // One HTTP caller per account and API family, shared by both views below.
  const oaHttp = memo((appId) => httpFor(oaAccount(appId).apiBase, OFFICIAL_ACCOUNT_ERRCODES));
  const wecomHttp = memo((corpId) => httpFor(wecomAccount(corpId).apiBase, WECOM_ERRCODES));
  const mpHttp = memo((appId) => httpFor(mpAccount(appId).apiBase, MINI_PROGRAM_ERRCODES));
  const h5Http = memo((appId) => httpFor(oaAccount(appId).apiBase, H5_ERRCODES));

  /** One view of the accounts: `through` picks the retry policy of its calls; tokens are fetched with retries. */
  const view = (
    through: (http: WechatHttpClient) => WechatHttpClient,
    payOptions: Partial<WechatHttpOptions> | undefined,
  ): Omit<Clients, 'singleAttempt'> => {
    const oa = memo((appId) => {
      const account = oaAccount(appId);
      const http = oaHttp(appId);
      const access = tokens.source(oaAccessTokenDefinition(account, http));
      return new OfficialAccountClient(
        account.appId,
        through(http),
        access,
        tokens.source(oaJsapiTicketDefinition(account, http, access)),
      );
    });

    const wecom = memo((corpId) => {
      const account = wecomAccount(corpId);
      const http = wecomHttp(corpId);
      const contact = tokens.source(wecomAccessTokenDefinition(account, http, 'contact', account.contactSecret));
      const agent = account.agentSecret
        ? tokens.source(wecomAccessTokenDefinition(account, http, 'agent', account.agentSecret))
        : undefined;
      const directory = account.directorySecret
        ? tokens.source(wecomAccessTokenDefinition(account, http, 'directory', account.directorySecret))
        : undefined;
      return new WecomClient(account.corpId, through(http), {
        contact,
        ...(agent ? { agent } : {}),
        ...(directory ? { directory } : {}),
        corpJsapiTicket: tokens.source(wecomJsapiTicketDefinition(account, http, agent ?? contact)),
        ...(agent && account.agentId !== undefined
          ? { agentConfigTicket: tokens.source(wecomAgentTicketDefinition(account, http, agent)) }
          : {}),
      });
    });

    const mp = memo((appId) => {
      const account = mpAccount(appId);
      const http = mpHttp(appId);
      return new MiniProgramClient(account, through(http), tokens.source(mpAccessTokenDefinition(account, http)));
    });

    // H5 pages belong to an OA (its config): the OAuth calls use the OA's appid/secret, wx.config its ticket.
    const h5 = memo((appId) => new H5Client(oaAccount(appId), through(h5Http(appId)), oa(appId).jsapiTicketSource));

    const pay = memo(
      (mchId) => new WechatPayClient(findWechatPay(ctx.config, mchId) ?? throwUnknown('wechat-pay', mchId), payOptions),
    );

    return { tokens, oa, wecom, mp, h5, pay };
  };

  const singleAttempt: Clients = {
    ...view((http) => http.withRetry({ maxAttempts: 1 }), { ...options.http, maxAttempts: 1 }),
    get singleAttempt(): Clients {
      return singleAttempt;
    },
  };
  return { ...view((http) => http, options.http), singleAttempt };
}

function throwUnknown(kind: string, id: string): never {
  throw new UnknownAccountError(kind, id);
}
