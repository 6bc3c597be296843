import type { IdentityRef } from '../../connectors/common/identity-types';
import { maskPhone } from '../security/phone-crypto';
import type { Db } from '../storage/sql';
import { recordWebhookEvents, webhookWanted } from '../webhooks/webhook-event.writer';

/** An identity as a webhook carries it: a phone number only masked (DESIGN §7: receivers are not admins). */
function shownRef(ref: IdentityRef): { type: string; scope: string; value: string } {
  return { type: ref.type, scope: ref.scope, value: ref.type === 'phone' ? maskPhone(ref.value) : ref.value };
}

/**
 * `customer.created` for new customers with the identities they were created with (`identities` may list those
 * of every new customer), in the caller's transaction.
 */
export async function recordCustomersCreated(
  db: Db,
  customerIds: readonly string[],
  identities: readonly { customerId: string; ref: IdentityRef }[],
  source: string,
  now: Date,
): Promise<void> {
  if (customerIds.length === 0 || !(await webhookWanted(db, 'customer.created'))) return;
  const byCustomer = new Map<string, ReturnType<typeof shownRef>[]>(customerIds.map((id) => [id, []]));
  for (const i of identities) byCustomer.get(i.customerId)?.push(shownRef(i.ref));
  await recordWebhookEvents(
    db,
    'customer.created',
    [...byCustomer].map(([customerId, ids]) => ({ customerId, source, identities: ids })),
    now,
  );
}

/** `identity.linked` for identities newly attached to a customer. */
export async function recordIdentitiesLinked(
  db: Db,
  links: readonly { customerId: string; ref: IdentityRef }[],
  source: string,
  now: Date,
): Promise<void> {
  if (links.length === 0 || !(await webhookWanted(db, 'identity.linked'))) return;
  await recordWebhookEvents(
    db,
    'identity.linked',
    links.map((l) => ({ customerId: l.customerId, source, identity: shownRef(l.ref) })),
    now,
  );
}
