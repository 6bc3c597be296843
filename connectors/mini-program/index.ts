import { type ConnectorAccount, defineInboundConnector } from '../common/connector-types';
import type { MiniProgramConfig } from './config';
import { handleWebhook } from './webhook';

/** Mini Program: message push URL (XML or JSON, DESIGN §8.2). */
export const miniProgramConnector = defineInboundConnector<MiniProgramConfig>({
  kind: 'mini-program',
  channel: 'mini-program',
  webhook: { path: '/wechat/mini-program/:appId', param: 'appId', methods: ['GET', 'POST'], rejectionFormat: 'api' },
  isAccount: (a: ConnectorAccount): a is MiniProgramConfig => a.kind === 'mini-program',
  accountKey: (a) => a.appId,
  handleWebhook,
});

export { handleWebhook, detectFormat } from './webhook';
export type { MiniProgramWebhookAccount } from './webhook';
