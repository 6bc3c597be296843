import { callbackServiceFor } from '../callbacks/callback.service';
import type { MemberChangeBody } from '../callbacks/control.schemas';
import type { DeliveryRecord } from '../callbacks/delivery-log';
import type { ExternalChatInput, ExternalContactInput } from '../callbacks/wecom-event.builder';
import type { SenderDeps } from '../plugin-types';

/**
 * World changes made through the control API are silent unless the caller asks for `notify: true`; then the
 * callback WeChat would send for that user action goes out through the callback sender (emulator/callbacks),
 * so the gateway hears about the same change the APIs now show. (Changes made through the server APIs never
 * notify, as in WeChat.)
 */
export type Notifier = ReturnType<typeof createNotifier>;

export function createNotifier(deps: SenderDeps) {
  const service = () => callbackServiceFor(deps);
  return {
    /** subscribe (with `qrscene_` EventKey when a QR scene is given) or unsubscribe. */
    oaFollow(
      appId: string,
      openid: string,
      subscribed: boolean,
      qrSceneValue: string | undefined,
    ): Promise<DeliveryRecord> {
      if (!subscribed) return service().oaEvent(appId, { type: 'unsubscribe', openid });
      return service().oaEvent(
        appId,
        qrSceneValue ? { type: 'subscribe', openid, eventKey: qrSceneValue } : { type: 'subscribe', openid },
      );
    },
    /**
     * A scan of a parametric QR code: `subscribe` with EventKey `qrscene_<scene>` and the Ticket for someone who
     * did not follow, `SCAN` with the bare scene for a follower (wechat-api.md §4.3).
     */
    oaQrScan(
      appId: string,
      openid: string,
      followed: boolean,
      sceneValue: string,
      ticket: string,
    ): Promise<DeliveryRecord> {
      return service().oaEvent(appId, { type: followed ? 'subscribe' : 'SCAN', openid, eventKey: sceneValue, ticket });
    },
    /** add_external_contact / del_external_contact / del_follow_user for one relation. */
    relation(
      corpId: string,
      changeType: 'add_external_contact' | 'del_external_contact' | 'del_follow_user',
      userId: string,
      externalUserId: string,
      state?: string,
    ): Promise<DeliveryRecord> {
      return service().externalContact(corpId, { changeType, userId, externalUserId, ...(state ? { state } : {}) });
    },
    /** Any change_external_contact event as given: transfer_fail, or del_external_contact by a transfer. */
    externalContact(corpId: string, input: ExternalContactInput): Promise<DeliveryRecord> {
      return service().externalContact(corpId, input);
    },
    /** add_external_contact for a customer who added a member through a contact way: State and WelcomeCode when set. */
    contactWayAdd(
      corpId: string,
      userId: string,
      externalUserId: string,
      state: string,
      welcomeCode: string | undefined,
    ): Promise<DeliveryRecord> {
      return service().externalContact(corpId, {
        changeType: 'add_external_contact',
        userId,
        externalUserId,
        ...(state ? { state } : {}),
        ...(welcomeCode ? { welcomeCode } : {}),
      });
    },
    /** change_external_chat for a customer group changed through the control API. */
    externalChat(corpId: string, input: ExternalChatInput): Promise<DeliveryRecord> {
      return service().externalChat(corpId, input);
    },
    /** change_contact for a member changed through the control API (create_user / update_user / delete_user). */
    member(corpId: string, body: MemberChangeBody): Promise<DeliveryRecord> {
      return service().memberChange(corpId, body);
    },
  };
}
