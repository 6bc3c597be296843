import type { DataSource } from '../storage';
import type { IdentityRef } from '../../connectors/common/identity-types';
import { findIdentities } from '../storage/identity/identity.repository';
import type { IdentityService, Observation } from '../identity/identity.service';
import { retryingTransaction } from '../storage/conflict-retry';
import { FrontDoorError } from './front-door.errors';

export interface VisitorObservation extends Observation {
  /**
   * Identities that join the observation only if some customer already holds them: the same openid seen
   * under another identity type of the same appid is the same person, but a login must not invent the
   * other channel for someone never seen there.
   */
  ifKnown?: IdentityRef[];
}

/**
 * Resolves a logged-in visitor's identities (DESIGN §4) in one retrying transaction and returns the surviving
 * customer; a person erased earlier (tombstoned) is refused instead of re-created (DESIGN §7).
 */
export async function resolveVisitor(
  ds: DataSource,
  identity: IdentityService,
  obs: VisitorObservation,
): Promise<string> {
  const { ifKnown, ...observation } = obs;
  const result = await retryingTransaction(ds, async (em) => {
    const known = ifKnown?.length ? await findIdentities(em, ifKnown) : [];
    const identities = [
      ...observation.identities,
      ...known.map((k): IdentityRef => ({ type: k.type, scope: k.scope, value: k.value })),
    ];
    return identity.resolve(em, { ...observation, identities });
  });
  if (!result.customerId)
    throw new FrontDoorError('CUSTOMER_ERASED', 'this WeChat user was erased and cannot be signed in');
  return result.customerId;
}

/** A unionid as the identity of its open platform; absent, null or "" means none (wechat-api.md §9 rule 5). */
export function unionidRef(unionid: string | null | undefined, openPlatformId: string): IdentityRef[] {
  return typeof unionid === 'string' && unionid.trim() !== ''
    ? [{ type: 'unionid', scope: openPlatformId, value: unionid.trim() }]
    : [];
}
