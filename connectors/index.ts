import type { InboundConnector } from './common/connector-types';
import { miniProgramConnector } from './mini-program';
import { officialAccountConnector } from './official-account';
import { wechatPayConnector } from './wechat-pay';
import { wecomConnector } from './wecom';

/**
 * Every connector with an inbound callback route, listed explicitly (no filesystem auto-loading). The core
 * mounts `webhook.path` for `webhook.methods` and calls `receive` with the raw body.
 */
export const inboundConnectors: readonly InboundConnector[] = [
  officialAccountConnector,
  wecomConnector,
  miniProgramConnector,
  wechatPayConnector,
];

export function inboundConnectorFor(kind: string): InboundConnector | undefined {
  return inboundConnectors.find((c) => c.kind === kind);
}

export { officialAccountConnector, wecomConnector, miniProgramConnector, wechatPayConnector };
export type { InboundConnector, WebhookRoute, ConnectorAccount } from './common/connector-types';
export type { WebhookOptions } from './common/webhook-guards';
