import type { Channel } from './normalized-event';
import type { WebhookOptions } from './webhook-guards';
import { type WebhookOutcome, type WebhookRequest, WebhookRejection } from './webhook-types';

/** The least the core knows about a configured account: its kind (config `accounts[].kind`). */
export interface ConnectorAccount {
  readonly kind: string;
}

export interface WebhookRoute {
  /** koa-router path of the callback URL (DESIGN §8.2), e.g. `/wechat/official-account/:appId`. */
  path: string;
  /** The route parameter naming the account (appId / corpId / mchId). */
  param: string;
  methods: readonly ('GET' | 'POST')[];
  /**
   * How the core writes a WebhookRejection: `api` = `{error:{code,message}}`; `pay` = `{code,message}`, the body
   * WeChat Pay expects on 4xx/5xx (wechat-api.md §8.3).
   */
  rejectionFormat: 'api' | 'pay';
}

/** A connector's inbound side as the core sees it: one route, accounts looked up by the route parameter. */
export interface InboundConnector {
  readonly kind: string;
  readonly channel: Channel;
  readonly webhook: WebhookRoute;
  findAccount(accounts: readonly ConnectorAccount[], key: string): ConnectorAccount | undefined;
  /** Looks the account up (404 UNKNOWN_ACCOUNT when absent) and runs its `handleWebhook`. */
  receive(
    accounts: readonly ConnectorAccount[],
    key: string,
    req: WebhookRequest,
    opts: WebhookOptions,
  ): Promise<WebhookOutcome>;
}

export interface InboundConnectorDefinition<A extends ConnectorAccount> {
  kind: A['kind'];
  channel: Channel;
  webhook: WebhookRoute;
  isAccount(account: ConnectorAccount): account is A;
  /** The value of the route parameter that names this account. */
  accountKey(account: A): string;
  handleWebhook(account: A, req: WebhookRequest, opts: WebhookOptions): WebhookOutcome | Promise<WebhookOutcome>;
}

export type TypedInboundConnector<A extends ConnectorAccount> = InboundConnector & {
  handleWebhook(account: A, req: WebhookRequest, opts: WebhookOptions): WebhookOutcome | Promise<WebhookOutcome>;
};

export function defineInboundConnector<A extends ConnectorAccount>(
  def: InboundConnectorDefinition<A>,
): TypedInboundConnector<A> {
  const findAccount = (accounts: readonly ConnectorAccount[], key: string): A | undefined =>
    accounts.find((a): a is A => def.isAccount(a) && def.accountKey(a) === key);
  return {
    kind: def.kind,
    channel: def.channel,
    webhook: def.webhook,
    findAccount,
    handleWebhook: def.handleWebhook,
    async receive(accounts, key, req, opts) {
      const account = findAccount(accounts, key);
      if (!account) throw new WebhookRejection(404, 'UNKNOWN_ACCOUNT', 'no such account');
      return def.handleWebhook(account, req, opts);
    },
  };
}
