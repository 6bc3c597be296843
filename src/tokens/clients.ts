import type { DataSource } from 'typeorm';
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
import { wecomAccessTokenDefinition, wecomAgentTicketDefinition, wecomJsapiTicketDefinition } from '../../connectors/wecom/tokens';
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
  tokens?: Pick<TokenManagerOptions, 'refreshBufferMs' | 'cacheTtlMs' | 'minRefetchIntervalMs' | 'pollMs' | 'waitMs'> & { leaseTtlMs?: number };
}

export interface Clients {
  tokens: TokenManager;
  oa(appId: string): OfficialAccountClient;
  wecom(corpId: string): WecomClient;
  mp(appId: string): MiniProgramClient;
  h5(appId: string): H5Client;
  pay(mchId: string): WechatPayClient;
}

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
  const httpFor = (baseURL: string, errcodes: typeof WECOM_ERRCODES) => new WechatHttpClient({ baseURL, errcodes, options: httpOptions(options.http), logger });
  const memo = <T>(build: (id: string) => T) => {
    const built = new Map<string, T>();
    return (id: string): T => {
      let c = built.get(id);
      if (c === undefined) built.set(id, (c = build(id)));
      return c;
    };
  };

  const oaAccount = (appId: string) => findOfficialAccount(ctx.config, appId) ?? throwUnknown('official-account', appId);
  const oa = memo((appId) => {
    const account = oaAccount(appId);
    const http = httpFor(account.apiBase, OFFICIAL_ACCOUNT_ERRCODES);
    const access = tokens.source(oaAccessTokenDefinition(account, http));
    return new OfficialAccountClient(account.appId, http, access, tokens.source(oaJsapiTicketDefinition(account, http, access)));
  });

  const wecom = memo((corpId) => {
    const account = findWecom(ctx.config, corpId) ?? throwUnknown('wecom', corpId);
    const http = httpFor(account.apiBase, WECOM_ERRCODES);
    const contact = tokens.source(wecomAccessTokenDefinition(account, http, 'contact', account.contactSecret));
    const agent = account.agentSecret ? tokens.source(wecomAccessTokenDefinition(account, http, 'agent', account.agentSecret)) : undefined;
    const directory = account.directorySecret ? tokens.source(wecomAccessTokenDefinition(account, http, 'directory', account.directorySecret)) : undefined;
    return new WecomClient(account.corpId, http, {
      contact,
      ...(agent ? { agent } : {}),
      ...(directory ? { directory } : {}),
      corpJsapiTicket: tokens.source(wecomJsapiTicketDefinition(account, http, agent ?? contact)),
      ...(agent && account.agentId !== undefined ? { agentConfigTicket: tokens.source(wecomAgentTicketDefinition(account, http, agent)) } : {}),
    });
  });

  const mp = memo((appId) => {
    const account = findMiniProgram(ctx.config, appId) ?? throwUnknown('mini-program', appId);
    const http = httpFor(account.apiBase, MINI_PROGRAM_ERRCODES);
    return new MiniProgramClient(account, http, tokens.source(mpAccessTokenDefinition(account, http)));
  });

  // H5 pages belong to an OA (its config): the OAuth calls use the OA's appid/secret, wx.config its ticket.
  const h5 = memo((appId) => {
    const account = oaAccount(appId);
    return new H5Client(account, httpFor(account.apiBase, H5_ERRCODES), oa(appId).jsapiTicketSource);
  });

  const pay = memo((mchId) => new WechatPayClient(findWechatPay(ctx.config, mchId) ?? throwUnknown('wechat-pay', mchId), options.http));

  return { tokens, oa, wecom, mp, h5, pay };
}

function throwUnknown(kind: string, id: string): never {
  throw new UnknownAccountError(kind, id);
}
