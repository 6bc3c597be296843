/**
 * The JSON of `GET /api/v1/staff?corpId=` (DESIGN §10.3, §13). The console imports these types through
 * `@server`; they import nothing, so the browser build can use them.
 */

export interface StaffMemberJson {
  corpId: string;
  userid: string;
  /** The directory's name, null until a staff sync or callback gave one. */
  name: string | null;
  departments: { id: number; name: string | null }[];
  position: string | null;
  status: 'active' | 'left';
  /** Live follow relations (WeCom contacts not deleted). */
  customerCount: number;
  updatedAt: string | null;
}

export interface StaffPageJson {
  items: StaffMemberJson[];
}
