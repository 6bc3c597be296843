import { DomainError } from '../errors/domain-error';

/** No configured account of that kind has this appId / corpId / mchId. Its status is in TOKEN_ERROR_STATUS. */
export class UnknownAccountError extends DomainError<'ACCOUNT_NOT_FOUND'> {
  readonly domain = 'tokens';

  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super('ACCOUNT_NOT_FOUND', `no ${kind} account ${id} is configured`);
  }
}
