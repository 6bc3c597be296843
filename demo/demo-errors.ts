/**
 * A demo step that did not go as the story needs. The message names the call (method and URL) and what came
 * back, so a broken piece of the gateway or the emulator is reported precisely instead of being worked around.
 */
/**
 * HTTP_STATUS: a call answered outside 2xx · UNEXPECTED_ANSWER: a 2xx whose content breaks the story ·
 * NOT_DELIVERED: WeChat (the emulator) got no acceptance for a callback · TIMEOUT: a wait ran out ·
 * SYNC_FAILED: a full sync ended other than done · TAG_NOT_PUSHED: a tag binding failed in WeChat.
 */
export type DemoErrorCode =
  'HTTP_STATUS' | 'UNEXPECTED_ANSWER' | 'NOT_DELIVERED' | 'TIMEOUT' | 'SYNC_FAILED' | 'TAG_NOT_PUSHED';

export class DemoError extends Error {
  constructor(
    readonly code: DemoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}
