/** A call needs a credential the account's config does not have (e.g. WeCom agentSecret, Pay private key). */
export class NotConfiguredError extends Error {
  readonly code = 'NOT_CONFIGURED';

  constructor(
    readonly account: string,
    readonly missing: string,
  ) {
    super(`account ${account}: ${missing} is not configured`);
    this.name = 'NotConfiguredError';
  }
}
