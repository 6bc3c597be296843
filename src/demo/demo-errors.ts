/**
 * A demo step that did not go as the story needs. The message names the call (method and URL) and what came
 * back, so a broken piece of the gateway or the emulator is reported precisely instead of being worked around.
 */
export type DemoErrorCode = 'HTTP_STATUS' | 'NOT_DELIVERED' | 'TIMEOUT' | 'SYNC_FAILED' | 'PORT_IN_USE';

export class DemoError extends Error {
  constructor(
    readonly code: DemoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}
