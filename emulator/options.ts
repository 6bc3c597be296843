import { z } from 'zod';

/**
 * Everything that shapes a seeded world. The same options and seed always produce the same apps, persons, ids
 * and memberships. Overlap ratios say how much the audiences of the apps share persons (so identity resolution
 * has something to unify). Settings marked [obs]/[choice] in wechat-api.md are options here.
 */
const ratio = z.number().min(0).max(1);
const count = (max: number) => z.number().int().min(0).max(max);

export const overlapSchema = z.object({
  /** Share of the first OA's openid holders who also hold an openid of each further OA. */
  secondaryOa: ratio.default(0.3),
  /** Share of persons who also use each Mini Program. */
  miniProgram: ratio.default(0.4),
  /** Share of each corp's customers who are persons already known to the first OA (the rest are WeCom-only). */
  wecomFromOa: ratio.default(0.6),
  /** Share of persons with a phone number. */
  phone: ratio.default(0.5),
  /** Extra openids of the first OA held by persons who unfollowed, as a share of `followers`. */
  unsubscribed: ratio.default(0.05),
  /** Share of customers followed by more than one staff member. */
  multiFollow: ratio.default(0.15),
  /** Share of customers who are WeCom users (external contact type 2) rather than WeChat users. */
  wecomUser: ratio.default(0.05),
  /** Share of a secondary OA's openid holders who still follow it. */
  secondaryFollowing: ratio.default(0.9),
  /** Share of a customer group's external members who are contacts of some staff member (the rest are strangers). */
  groupContacts: ratio.default(0.6),
  /**
   * Share of the strangers in customer groups who are WeChat users (they carry a unionid where the corp is bound);
   * the rest are WeCom users of other corps, who never do (wechat-api-wecom-ops.md §1.2).
   */
  groupUnionid: ratio.default(0.7),
});

export const worldOptionsSchema = z.object({
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** Followers (subscribed) of the first Official Account. */
  followers: count(20_000_000).default(1000),
  officialAccounts: z.number().int().min(1).max(10).default(2),
  miniPrograms: count(10).default(1),
  corps: count(5).default(1),
  merchants: count(5).default(1),
  wecomStaff: z.number().int().min(1).max(100_000).default(20),
  /** Customers (external contacts) per corp. */
  wecomContacts: count(5_000_000).default(500),
  /** Customer groups (客户群) per corp, owned by staff with the customer-contact feature; 0 keeps older worlds as they were. */
  wecomGroups: count(100_000).default(0),
  /** Members per customer group: the owner, up to two more staff members, the rest external (a group holds ≤ 2000). */
  wecomGroupMembers: z.number().int().min(1).max(2000).default(50),
  overlap: overlapSchema.prefault({}),
  /** Seeded custom tags per OA (members drawn at 2–30 %). */
  oaTags: count(100).default(5),
  corpTagGroups: count(50).default(3),
  corpTagsPerGroup: z.number().int().min(1).max(100).default(4),
  /** WeCom corp tag cap, 3000 in the errcode table, 10,000 in a newer doc (wechat-api.md §5.5). */
  corpTagLimit: z.number().int().min(1).max(100_000).default(3000),
  /** Permanent parametric QR codes an OA may create; qrcode/create beyond it fails with 45029 (WeChat's cap is 100,000). */
  oaPermanentQrLimit: z.number().int().min(1).max(100_000).default(100_000),
  /** OA tag name and remark length unit: "30 bytes" vs "30 characters" (wechat-api.md §12). */
  oaNameUnit: z.enum(['bytes', 'chars']).default('bytes'),
  /** OA remark limit; developers report 40092 above ~20 Latin characters (wechat-api.md §2.4). */
  oaRemarkMax: z.number().int().min(1).max(100).default(30),
  /**
   * How user/get ends (wechat-api.md §2.1): `empty-page` = the last page keeps a non-empty next_openid and one
   * more call returns count 0; `short-page` = the last page already has an empty next_openid.
   */
  followerListEnding: z.enum(['empty-page', 'short-page']).default('empty-page'),
  /** Base URL of the gateway: callback URLs of every app and Pay notify URLs derive from it. */
  gatewayUrl: z
    .string()
    .regex(/^https?:\/\/\S+$/)
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** Overrides the callback mode of every OA and MP (default: OA 1 safe, OA 2 compatible, OA 3 plaintext …). */
  callbackMode: z.enum(['plaintext', 'compatible', 'safe']).optional(),
  /** Recorded inbound requests kept (ring buffer). */
  recorderSize: z.number().int().min(0).max(1_000_000).default(2000),
});

export type WorldOptionsInput = z.input<typeof worldOptionsSchema>;
export type WorldOptions = z.output<typeof worldOptionsSchema>;
export type OverlapOptions = z.output<typeof overlapSchema>;

export function parseWorldOptions(input: unknown): WorldOptions {
  return worldOptionsSchema.parse(input ?? {});
}
