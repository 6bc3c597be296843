import { type ConnectorAccount, defineInboundConnector } from '../common/connector-types';
import type { WecomConfig } from './config';
import { handleWebhook } from './webhook';

/** WeCom: callback URL of the customer-contact app (external contact and corp tag events, DESIGN §8.2). */
export const wecomConnector = defineInboundConnector<WecomConfig>({
  kind: 'wecom',
  channel: 'wecom',
  webhook: { path: '/wechat/wecom/:corpId', param: 'corpId', methods: ['GET', 'POST'], rejectionFormat: 'api' },
  isAccount: (a: ConnectorAccount): a is WecomConfig => a.kind === 'wecom',
  accountKey: (a) => a.corpId,
  handleWebhook,
});

export { handleWebhook } from './webhook';
export type { WecomWebhookAccount } from './webhook';
