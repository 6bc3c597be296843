/**
 * The JSON of `/api/v1/transfers` and `GET /api/v1/staff/:corpId/:userid/unassigned` (DESIGN §10.3, §13). The
 * console imports these through `@server`; they import nothing, so the browser build can use them.
 */
export type TransferKindJson = 'on-job' | 'resigned';
export type TransferItemStatusJson = 'waiting' | 'done' | 'refused' | 'failed';

export interface TransferItemJson {
  externalUserId: string;
  customerId: string | null;
  status: TransferItemStatusJson;
  /**
   * Why it is not done: `customer_refused`, `customer_limit_exceed` (the receiver holds too many customers),
   * `transferred_too_often` (twice in 90 days), `already_transferring`, `not_following`, `not_a_customer`,
   * `same_member`, `no_record`, `wechat_error`, or `errcode_<n>`.
   */
  reason?: string;
  /** When WeChat moved (or will move, while waiting) the relation. */
  takeoverAt?: string;
}

export interface TransferJson {
  id: string;
  corpId: string;
  kind: TransferKindJson;
  fromUserId: string;
  fromName: string | null;
  toUserId: string;
  toName: string | null;
  message: string | null;
  /** `running` while any customer waits. */
  status: 'running' | 'done';
  counts: Record<TransferItemStatusJson, number>;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface TransferDetailJson extends TransferJson {
  items: TransferItemJson[];
}

export interface TransferPageJson {
  items: TransferJson[];
  nextCursor: string | null;
}

export interface UnassignedCustomerJson {
  externalUserId: string;
  customerId: string | null;
  name: string | null;
  /** When the member left. */
  dimissionTime: string | null;
}

export interface UnassignedPageJson {
  corpId: string;
  userid: string;
  name: string | null;
  items: UnassignedCustomerJson[];
}

export interface MemberCustomerJson {
  externalUserId: string;
  customerId: string | null;
  /** The relation's remark, else the customer's display name. */
  name: string | null;
}

export interface MemberCustomersJson {
  corpId: string;
  userid: string;
  items: MemberCustomerJson[];
}
