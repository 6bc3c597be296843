import type { Clock } from './clock';

/**
 * The seam between the emulator's world/app registry (emulator/app.ts) and its outbound senders
 * (emulator/callbacks, emulator/pay). The world knows each app's callback settings; senders only need these.
 */
export type CallbackMode = 'plaintext' | 'compatible' | 'safe';

export interface CallbackTarget {
  kind: 'official-account' | 'mini-program' | 'wecom';
  /** appId (OA/MP) or corpId (WeCom): the ReceiveId inside ciphertexts. */
  id: string;
  token: string;
  /** Absent = plaintext only. */
  encodingAESKey?: string;
  mode: CallbackMode;
  /** Mini Program message push format. */
  format: 'xml' | 'json';
  /** OA/MP original id `gh_…` (ToUserName). */
  originalId?: string;
  /** Where the gateway listens for this app's callbacks, e.g. http://127.0.0.1:3000/wechat/official-account/wx… */
  url?: string;
}

export interface PayMerchant {
  mchId: string;
  appId: string;
  apiV3Key: string;
  notifyUrl?: string;
}

export interface SenderDeps {
  clock: Clock;
  resolveTarget(kind: CallbackTarget['kind'], id: string): CallbackTarget | undefined;
  resolveMerchant(mchId: string): PayMerchant | undefined;
}
