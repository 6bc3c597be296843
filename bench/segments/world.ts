import { toDbTime } from '../../src/storage/sql';
import { below, geometric, logNormal, seededRandom, weighted, type Random } from './random';

export const DAY_MS = 86_400_000;
export const SEGMENTS_APP = 'wxsegbench000000001';
export const SEGMENTS_CORP = 'wwsegbench00000001';
export const SEGMENTS_MCH = '1900000109';
/** Catalog tags the world assigns by hand, with the share of customers holding each (sum 2: two per customer). */
export const WORLD_TAGS: readonly (readonly [string, number])[] = [
  ['会员', 0.5],
  ['新客', 0.4],
  ['老客', 0.3],
  ['母婴', 0.25],
  ['美妆', 0.2],
  ['高净值', 0.15],
  ['沉睡', 0.1],
  ['投诉过', 0.05],
  ['员工', 0.03],
  ['黑名单', 0.02],
];
/** Timeline event types and their share of events (DESIGN §3 `events`). */
export const EVENT_TYPES: readonly (readonly [string, number])[] = [
  ['oa.message.text', 25],
  ['oa.message.image', 5],
  ['oa.menu.click', 15],
  ['mp.page_view', 25],
  ['h5.page_view', 15],
  ['wecom.message.received', 10],
  ['oa.subscribe', 5],
];
const STAFF = 50;
const SOURCES: Record<string, string> = { oa: 'official-account', mp: 'mini-program', h5: 'h5', wecom: 'wecom' };
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
const GIVEN = '伟芳娜敏静丽强磊洋艳勇军杰娟涛明超霞平刚';

/** Rows per table as the columns below list them; times are UTC `YYYY-MM-DD HH:MM:SS.SSS` text for both drivers. */
export interface WorldBlock {
  customers: unknown[][];
  identities: unknown[][];
  oa_subscriptions: unknown[][];
  wecom_follows: unknown[][];
  transactions: unknown[][];
  events: unknown[][];
  customer_tags: unknown[][];
}

export const WORLD_COLUMNS: Record<keyof WorldBlock, readonly string[]> = {
  customers: ['id', 'status', 'display_name', 'created_at', 'updated_at'],
  identities: ['customer_id', 'type', 'scope', 'value', 'source', 'verified', 'created_at', 'updated_at'],
  oa_subscriptions: [
    'app_id',
    'openid',
    'customer_id',
    'subscribed',
    'subscribe_time',
    'scene',
    'created_at',
    'updated_at',
  ],
  wecom_follows: [
    'corp_id',
    'staff_userid',
    'external_userid',
    'customer_id',
    'add_way',
    'created_time',
    'deleted',
    'tags',
    'created_at',
    'updated_at',
  ],
  transactions: [
    'mch_id',
    'app_id',
    'out_trade_no',
    'transaction_id',
    'amount_total',
    'state',
    'payer_openid',
    'customer_id',
    'success_time',
    'refunded_total',
    'created_at',
    'updated_at',
  ],
  events: ['customer_id', 'source', 'account', 'type', 'occurred_at', 'payload', 'dedupe_key', 'created_at'],
  customer_tags: ['customer_id', 'tag_id', 'source', 'assigned_by', 'created_at'],
};

export interface WorldShape {
  customers: number;
  /** `now` of the run: every time is drawn back from it, so rules with "within N days" see the same world. */
  now: number;
  /** Catalog ids of WORLD_TAGS, in order. */
  tagIds: readonly string[];
  seed?: number;
}

/**
 * A UUIDv7 as src/storage/ids.ts makes them (creation time first, so inserts append to the primary key), with the
 * customer's index where the random bits go: the same world gets the same ids.
 */
export function customerId(createdMs: number, i: number): string {
  const t = createdMs.toString(16).padStart(12, '0');
  const x = i.toString(16).padStart(18, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${x.slice(0, 3)}-8${x.slice(3, 6)}-${x.slice(6, 18)}`;
}

const openid = (i: number) => `oSeg${i.toString(36).padStart(24, '0')}`;

/**
 * Customers [from, to) of a brand two years old (DESIGN §9 segments bench): every customer follows the OA (one
 * in ten has unfollowed), one in three is a WeCom contact of one of 50 staff; purchases 0–20 per customer (three
 * in ten never bought, the rest geometric, mean 3 over everyone) spread from the customer's first day to now,
 * amounts log-normal around ¥80; timeline events geometric with mean 5 over the last 180 days; two catalog tags per
 * customer on average. Each customer draws from its own seeded stream, so any block is reproducible alone.
 */
export function worldBlock(shape: WorldShape, from: number, to: number): WorldBlock {
  const b: WorldBlock = {
    customers: [],
    identities: [],
    oa_subscriptions: [],
    wecom_follows: [],
    transactions: [],
    events: [],
    customer_tags: [],
  };
  const span = 730 * DAY_MS;
  for (let i = from; i < to; i++) {
    const r = seededRandom((shape.seed ?? 1) * 1_000_003 + i);
    // Created times spread over the two years, ids in the same order.
    const createdMs = shape.now - span + Math.floor((i / shape.customers) * span);
    const id = customerId(createdMs, i);
    const created = toDbTime(new Date(createdMs));
    const oid = openid(i);
    b.customers.push([id, 'active', SURNAMES[below(r, 20)]! + GIVEN[below(r, 20)]!, created, created]);
    b.identities.push([id, 'oa_openid', SEGMENTS_APP, oid, 'bench', 0, created, created]);
    b.oa_subscriptions.push([SEGMENTS_APP, oid, id, r() < 0.9 ? 1 : 0, created, 'ADD_SCENE_SEARCH', created, created]);
    if (r() < 1 / 3) {
      const ext = `wmSeg${i.toString(36).padStart(24, '0')}`;
      b.identities.push([id, 'wecom_external_userid', SEGMENTS_CORP, ext, 'bench', 0, created, created]);
      b.wecom_follows.push([SEGMENTS_CORP, `staff${below(r, STAFF)}`, ext, id, 1, created, 0, '[]', created, created]);
    }
    pushPurchases(b, r, i, id, oid, createdMs, shape.now);
    pushEvents(b, r, i, id, shape.now);
    shape.tagIds.forEach((tagId, k) => {
      if (r() < WORLD_TAGS[k]![1]) b.customer_tags.push([id, tagId, 'manual', 'bench', created]);
    });
  }
  return b;
}

/** 30 % never bought; buyers 1 + geometric(3.29) capped at 20: a mean of 3 orders over all customers. */
export const purchaseCount = (r: Random): number => (r() < 0.3 ? 0 : 1 + geometric(r, 3.29, 19));
/** Timeline events per customer: geometric, mean 5, capped at 60. */
export const eventCount = (r: Random): number => geometric(r, 5, 60);

function pushPurchases(b: WorldBlock, r: Random, i: number, id: string, oid: string, createdMs: number, now: number) {
  const n = purchaseCount(r);
  for (let k = 0; k < n; k++) {
    const paidMs = createdMs + Math.floor(r() * (now - createdMs));
    const paid = toDbTime(new Date(paidMs));
    const amount = Math.max(100, Math.round(logNormal(r, 8_000, 0.9)));
    const s = r();
    // 94 % paid, 3 % paid then refunded (still a purchase for RFM), 3 % never paid.
    const state = s < 0.94 ? 'SUCCESS' : s < 0.97 ? 'REFUND' : 'CLOSED';
    b.transactions.push([
      SEGMENTS_MCH,
      SEGMENTS_APP,
      `S${i}-${k}`,
      state === 'CLOSED' ? null : `4200${i}${k.toString().padStart(2, '0')}`,
      amount,
      state,
      oid,
      id,
      state === 'CLOSED' ? null : paid,
      state === 'REFUND' ? amount : 0,
      paid,
      paid,
    ]);
  }
}

function pushEvents(b: WorldBlock, r: Random, i: number, id: string, now: number) {
  const n = eventCount(r);
  for (let k = 0; k < n; k++) {
    const type = weighted(r, EVENT_TYPES);
    const at = toDbTime(new Date(now - Math.floor(r() * 180 * DAY_MS)));
    b.events.push([
      id,
      SOURCES[type.split('.')[0]!] ?? 'api',
      SEGMENTS_APP,
      type,
      at,
      '{"bench":true}',
      `seg:${i}:${k}`,
      at,
    ]);
  }
}
