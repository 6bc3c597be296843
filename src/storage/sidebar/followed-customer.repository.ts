import { customerColumns, toCustomer, type StoredCustomer } from '../customers/customer.repository';
import { type Db, select } from '../sql';

const CUSTOMER = customerColumns('c');

/** The customer behind an external_userid, and whether this staff member follows them (a live relation). */
export interface FollowedCustomer {
  customer: StoredCustomer;
  followed: boolean;
}

/**
 * One indexed query per sidebar request (DESIGN §9, the profile's p99 budget): the identity's unique key
 * (type, scope, value) finds the customer, the relation's unique key (corp, staff, external_userid) the
 * follow. Undefined when no customer holds this external_userid.
 */
export async function findFollowedCustomer(
  db: Db,
  corpId: string,
  staffUserid: string,
  externalUserid: string,
): Promise<FollowedCustomer | undefined> {
  const rows = await select(
    db,
    `SELECT ${CUSTOMER}, f.id AS follow_id
       FROM identities i
       JOIN customers c ON c.id = i.customer_id
       LEFT JOIN wecom_follows f ON f.corp_id = i.scope AND f.staff_userid = ? AND f.external_userid = i.value AND f.deleted = 0
      WHERE i.type = 'wecom_external_userid' AND i.scope = ? AND i.value = ?`,
    [staffUserid, corpId, externalUserid],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    customer: toCustomer(r),
    followed: r.follow_id !== null && r.follow_id !== undefined,
  };
}
