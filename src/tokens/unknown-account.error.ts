/** No configured account of that kind has this appId / corpId / mchId. */
export class UnknownAccountError extends Error {
  readonly code = 'ACCOUNT_NOT_FOUND';

  constructor(readonly kind: string, readonly id: string) {
    super(`no ${kind} account ${id} is configured`);
    this.name = 'UnknownAccountError';
  }
}
