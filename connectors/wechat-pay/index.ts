import { type ConnectorAccount, defineInboundConnector } from '../common/connector-types';
import type { WechatPayConfig } from './config';
import { handleWebhook } from './webhook';

/** WeChat Pay: APIv3 notification URL; 204 on success, `{code,message}` on rejection (DESIGN §8.2). */
export const wechatPayConnector = defineInboundConnector<WechatPayConfig>({
  kind: 'wechat-pay',
  channel: 'wechat-pay',
  webhook: { path: '/wechat/pay/:mchId', param: 'mchId', methods: ['POST'], rejectionFormat: 'pay' },
  isAccount: (a: ConnectorAccount): a is WechatPayConfig => a.kind === 'wechat-pay',
  accountKey: (a) => a.mchId,
  handleWebhook,
});

export { handleWebhook } from './webhook';
export type { WechatPayWebhookAccount } from './webhook';
export { preloadPayKeys, PayKeyLoadError } from './notification-keys';
