import type { IdentityRef } from '../../connectors/common/identity-types';
import { isAnonymousId, WEB_SCOPE } from '../track/anonymous-track.schema';
import { FrontDoorError } from './front-door.errors';

/**
 * The anonymous id a login carries (DESIGN §11), as the identities it may have been tracked under: the app's own
 * scope or `web`. They join the login's resolution only where a customer holds them (`ifKnown`), so that customer
 * is merged into the person signing in — or, for someone new, becomes them — and their page views stay theirs.
 */
export function anonymousRefs(anonymousId: unknown, appId: string): IdentityRef[] {
  const value = checkedAnonymousId(anonymousId);
  return value === undefined ? [] : [appId, WEB_SCOPE].map((scope) => ({ type: 'anonymous_id', scope, value }));
}

/** The anonymous id a login carries, undefined when none; 400 INVALID_ANONYMOUS_ID when malformed. */
export function checkedAnonymousId(anonymousId: unknown): string | undefined {
  if (anonymousId === undefined || anonymousId === '') return undefined;
  if (!isAnonymousId(anonymousId))
    throw new FrontDoorError('INVALID_ANONYMOUS_ID', 'anonymousId must be 8 to 64 letters, digits or . _ : -');
  return anonymousId;
}
