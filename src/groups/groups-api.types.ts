/**
 * The JSON of `GET /api/v1/groups`, `/groups/:id` and `/groups/:id/activity` (DESIGN §10.1, §13). The console
 * imports these types through `@server`; they import nothing, so the browser build can use them.
 */

export interface GroupSummaryJson {
  id: string;
  corpId: string;
  /** The corp's configured name (null when unnamed). */
  corpName: string | null;
  chatId: string;
  name: string | null;
  /** The owner's userid and, from the staff directory, name (null while unknown). */
  owner: { userid: string | null; name: string | null };
  memberCount: number;
  /** Customers (external members) in the group now. */
  externalCount: number;
  status: 'active' | 'dismissed';
  createdAt: string;
}

export interface GroupPageJson {
  items: GroupSummaryJson[];
  nextCursor: string | null;
}

/** A member, current or left: staff carry `userid`, external members `externalUserId` and the customer. */
export interface GroupMemberJson {
  type: 'staff' | 'external';
  userid?: string;
  externalUserId?: string;
  customerId?: string | null;
  name: string | null;
  joinedAt: string | null;
  /** groupchat/get join_scene: 1 invited directly, 2 invite link, 3 group QR code. */
  joinScene: number | null;
  leftAt?: string;
}

export interface GroupDetailJson extends GroupSummaryJson {
  members: GroupMemberJson[];
}

/** Members who joined and left per local day (`server.timezone`), every day of the range, oldest first. */
export interface GroupActivityJson {
  from: string;
  to: string;
  days: { date: string; joined: number; left: number }[];
}
