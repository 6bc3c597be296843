import type { ConnectorAccount } from '../common/connector-types';
import { defineInboundConnector } from '../common/connector-types';
import type { OfficialAccountConfig } from './config';
import { handleWebhook } from './webhook';

/** Official Account: server URL for verification and message/event pushes (DESIGN §8.2). */
export const officialAccountConnector = defineInboundConnector<OfficialAccountConfig>({
  kind: 'official-account',
  channel: 'official-account',
  webhook: {
    path: '/wechat/official-account/:appId',
    param: 'appId',
    methods: ['GET', 'POST'],
    rejectionFormat: 'api',
  },
  isAccount: (a: ConnectorAccount): a is OfficialAccountConfig => a.kind === 'official-account',
  accountKey: (a) => a.appId,
  handleWebhook,
});

export { handleWebhook } from './webhook';
export type { OfficialAccountWebhookAccount } from './webhook';
