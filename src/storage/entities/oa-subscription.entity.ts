import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** One OA follower (appid + openid), as user/info and subscribe/unsubscribe events describe it. */
export interface OaSubscriptionRow {
  id: string;
  appId: string;
  openid: string;
  customerId: string | null;
  subscribed: boolean;
  subscribeTime: Date | null;
  unsubscribeTime: Date | null;
  /** `subscribe_scene`, e.g. ADD_SCENE_QR_CODE. */
  scene: string | null;
  qrScene: string | null;
  qrSceneStr: string | null;
  remark: string | null;
  tagidList: number[] | null;
  /** The full sync that last saw this follower; followers not seen by a finished run are unsubscribed. */
  lastSyncedRunId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const OaSubscriptionEntity = new EntitySchema<OaSubscriptionRow>({
  name: 'OaSubscription',
  tableName: 'oa_subscriptions',
  columns: {
    id: col.id(),
    appId: col.key('app_id', 64),
    openid: col.key('openid', 64),
    customerId: col.key('customer_id', 36, { nullable: true }),
    subscribed: col.bool('subscribed', false),
    subscribeTime: col.time('subscribe_time', true),
    unsubscribeTime: col.time('unsubscribe_time', true),
    scene: col.key('scene', 64, { nullable: true }),
    qrScene: col.key('qr_scene', 64, { nullable: true }),
    qrSceneStr: col.key('qr_scene_str', 128, { nullable: true }),
    remark: col.str('remark', 255, true),
    tagidList: col.json('tagid_list', true),
    lastSyncedRunId: col.ref('last_synced_run_id', true),
    createdAt: col.createdAt(),
    updatedAt: col.updatedAt(),
  },
  uniques: [{ name: 'uq_oa_subscriptions_app_openid', columns: ['appId', 'openid'] }],
  indices: [
    { name: 'idx_oa_subscriptions_customer', columns: ['customerId'] },
    { name: 'idx_oa_subscriptions_sync', columns: ['appId', 'lastSyncedRunId'] },
  ],
});
