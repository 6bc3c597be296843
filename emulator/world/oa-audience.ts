import { IntColumn } from '../core/columns';
import { hash32 } from '../core/hash';
import type { WxApp } from './apps';
import { OaQrCodeStore } from './oa-qrcodes';
import { OaTagStore } from './oa-tags';

/**
 * Everyone holding an openid of one OA: followers and former followers (and H5-only visitors). Slot order is
 * the stable order user/get pages in; the openid encodes the slot. Per-slot state lives in typed columns;
 * qr scene values derive from (seed, slot) unless set through the control API.
 */
export const SUBSCRIBE_SCENES = [
  'ADD_SCENE_SEARCH',
  'ADD_SCENE_ACCOUNT_MIGRATION',
  'ADD_SCENE_PROFILE_CARD',
  'ADD_SCENE_QR_CODE',
  'ADD_SCENE_PROFILE_LINK',
  'ADD_SCENE_PROFILE_ITEM',
  'ADD_SCENE_PAID',
  'ADD_SCENE_WECHAT_ADVERTISEMENT',
  'ADD_SCENE_REPRINT',
  'ADD_SCENE_LIVESTREAM',
  'ADD_SCENE_CHANNELS',
  'ADD_SCENE_OTHERS',
] as const;
export const QR_SCENE = SUBSCRIBE_SCENES.indexOf('ADD_SCENE_QR_CODE');
const SCENE_WEIGHTS = [25, 2, 10, 30, 5, 3, 2, 8, 3, 3, 4, 5];
const SCENE_TOTAL = SCENE_WEIGHTS.reduce((a, b) => a + b, 0);
const LANGUAGES = ['zh_CN', 'zh_TW', 'en'];

export function pickScene(h: number): number {
  let r = h % SCENE_TOTAL;
  for (let i = 0; i < SCENE_WEIGHTS.length; i++) {
    r -= SCENE_WEIGHTS[i]!;
    if (r < 0) return i;
  }
  return SUBSCRIBE_SCENES.length - 1;
}

export interface QrOverride {
  scene: number;
  sceneStr: string;
}

export class OaAudience {
  readonly slotPerson: IntColumn;
  readonly personSlot: IntColumn;
  readonly subscribed: IntColumn;
  readonly subscribeTime: IntColumn;
  readonly scene: IntColumn;
  readonly remarks = new Map<number, string>();
  readonly qrOverrides = new Map<number, QrOverride>();
  /** Slots that signed in through H5 OAuth: they also hold an h5_openid identity (same value as the openid). */
  readonly h5Slots = new Set<number>();
  readonly tags: OaTagStore;
  readonly qrcodes: OaQrCodeStore;
  subscribedCount = 0;

  constructor(
    readonly app: WxApp,
    private readonly seed: number,
    slotCapacity: number,
    personCapacity: number,
    nameUnit: 'bytes' | 'chars',
    permanentQrLimit = 100_000,
  ) {
    this.slotPerson = new IntColumn(Int32Array, slotCapacity);
    this.personSlot = new IntColumn(Int32Array, personCapacity, -1);
    this.subscribed = new IntColumn(Uint8Array, slotCapacity);
    this.subscribeTime = new IntColumn(Uint32Array, slotCapacity);
    this.scene = new IntColumn(Uint8Array, slotCapacity);
    this.tags = new OaTagStore(nameUnit, slotCapacity);
    this.qrcodes = new OaQrCodeStore(permanentQrLimit);
  }

  get size(): number {
    return this.slotPerson.length;
  }

  addSlot(person: number, subscribed: boolean, subscribeTime: number, scene: number): number {
    const slot = this.slotPerson.push(person);
    this.personSlot.set(person, slot);
    this.subscribed.set(slot, subscribed ? 1 : 0);
    this.subscribeTime.set(slot, subscribeTime);
    this.scene.set(slot, scene);
    if (subscribed) this.subscribedCount++;
    return slot;
  }

  /** The person's slot, created (not following) on first use, e.g. by an H5 sign-in. */
  ensureSlot(person: number, now: number): number {
    const s = this.personSlot.get(person);
    return s >= 0 ? s : this.addSlot(person, false, now, SUBSCRIBE_SCENES.length - 1);
  }

  openid(slot: number): string {
    return this.app.codec.encode(slot);
  }

  /** Slot of an openid of this OA, or -1. */
  slotOf(openid: unknown): number {
    if (typeof openid !== 'string') return -1;
    const slot = this.app.codec.decode(openid);
    return slot >= 0 && slot < this.size ? slot : -1;
  }

  isFollower(slot: number): boolean {
    return slot >= 0 && this.subscribed.get(slot) === 1;
  }

  subscribe(slot: number, time: number, scene: number, qr?: QrOverride): void {
    if (!this.isFollower(slot)) this.subscribedCount++;
    this.subscribed.set(slot, 1);
    this.subscribeTime.set(slot, time);
    this.scene.set(slot, scene);
    if (qr) this.qrOverrides.set(slot, qr);
    else this.qrOverrides.delete(slot);
  }

  /** [choice] tags and remark are dropped on unfollow, so tag counts only ever cover followers. */
  unsubscribe(slot: number): void {
    if (!this.isFollower(slot)) return;
    this.subscribed.set(slot, 0);
    this.subscribedCount--;
    this.tags.clearSlot(slot);
    this.remarks.delete(slot);
  }

  language(slot: number): string {
    const h = hash32(this.seed, 0x1a9, slot) % 20;
    return LANGUAGES[h === 0 ? 2 : h === 1 ? 1 : 0]!;
  }

  qr(slot: number): QrOverride {
    const o = this.qrOverrides.get(slot);
    if (o) return o;
    if (this.scene.get(slot) !== QR_SCENE) return { scene: 0, sceneStr: '' };
    const h = hash32(this.seed, 0x9c0de, slot);
    return h & 1
      ? { scene: 1 + ((h >>> 1) % 1000), sceneStr: '' }
      : { scene: 0, sceneStr: `campaign_${(h >>> 1) % 50}` };
  }
}
