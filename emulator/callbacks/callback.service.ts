import { randomBytes } from 'crypto';
import type { CallbackTarget, SenderDeps } from '../plugin-types';
import { sendCallback, type SendOptions } from './callback.sender';
import type { CallbackMessage } from './callback-message';
import { messageId, originalIdFor, templateMsgId } from './callback-ids';
import type {
  ExternalContactBody,
  ExternalTagBody,
  MemberChangeBody,
  MpMessageBody,
  OaEventBody,
  OaMessageBody,
  PrivacyEventBody,
  SubscribeMsgEventBody,
  VerifyUrlBody,
} from './control.schemas';
import {
  buildLocationEvent,
  buildMassSendFinishEvent,
  buildPrivacyEvent,
  buildSubscribeMsgEvent,
} from './privacy-event.builder';
import { DeliveryLog, type DeliveryRecord } from './delivery-log';
import { ControlError } from './json-body';
import { buildMpMessage, type MpMessageInput } from './mp-message.builder';
import { buildOaEvent, type OaEventInput, type OaHeader } from './oa-event.builder';
import { buildOaMessage, type OaMessageInput } from './oa-message.builder';
import { verifyCallbackUrl } from './url-verification';
import {
  buildExternalChatEvent,
  buildExternalContactEvent,
  buildExternalTagEvent,
  buildMemberChangeEvent,
  type ExternalChatInput,
} from './wecom-event.builder';

/**
 * The event generators behind the control API: turn a control body into the exact callback of wechat-api.md
 * §4.3/§5.9/§6.4 (filling realistic defaults for fields the caller leaves out) and deliver it to the target.
 * One instance per emulator (per SenderDeps) so every delivery lands in the same log.
 */
const mediaId = (): string => randomBytes(24).toString('base64url');
const toId64 = (v: string | number | undefined): bigint => (v === undefined ? messageId() : BigInt(v));

type Delivery = Pick<SendOptions, 'mode' | 'url' | 'timeoutMs' | 'deliveries' | 'duplicates' | 'format' | 'agentId'>;

export class CallbackService {
  constructor(
    private readonly deps: SenderDeps,
    readonly log: DeliveryLog = new DeliveryLog(),
  ) {}

  target(kind: CallbackTarget['kind'], id: string): CallbackTarget {
    const t = this.deps.resolveTarget(kind, id);
    if (!t) throw new ControlError(404, 'TARGET_NOT_FOUND', `no ${kind} with id ${id}`);
    return t;
  }

  /** Delivers any prepared message to a target with this emulator's clock and log. */
  send(target: CallbackTarget, message: CallbackMessage, o: Delivery = {}): Promise<DeliveryRecord> {
    const { url, mode, format, timeoutMs, deliveries, duplicates, agentId } = o;
    return sendCallback(target, message, {
      url,
      mode,
      format,
      timeoutMs,
      deliveries,
      duplicates,
      agentId,
      clock: this.deps.clock,
      log: this.log,
    });
  }

  private header(target: CallbackTarget, openid: string, createTime: number | undefined): OaHeader {
    return {
      toUserName: target.originalId ?? originalIdFor(target.id),
      openid,
      createTime: createTime ?? this.deps.clock.nowSeconds(),
    };
  }

  oaEvent(appId: string, b: OaEventBody): Promise<DeliveryRecord> {
    const t = this.target('official-account', appId);
    const h = this.header(t, b.openid, b.createTime);
    if (b.type === 'LOCATION')
      return this.send(
        t,
        buildLocationEvent(h, {
          latitude: b.latitude ?? 23.137466,
          longitude: b.longitude ?? 113.352425,
          precision: b.precision ?? 119.38504,
        }),
        b,
      );
    if (b.type === 'MASSSENDJOBFINISH') {
      const total = b.totalCount ?? 2;
      const sent = b.sentCount ?? total;
      return this.send(
        t,
        buildMassSendFinishEvent(h, {
          msgId: b.msgId === undefined ? templateMsgId() : BigInt(b.msgId),
          status: b.status ?? 'send success',
          totalCount: total,
          filterCount: b.filterCount ?? total,
          sentCount: sent,
          errorCount: b.errorCount ?? 0,
          articleUrls: b.articleUrls,
        }),
        b,
      );
    }
    const ticket = b.ticket ?? `gQ${mediaId()}`;
    const key = b.eventKey;
    const need = (what: string): string => {
      if (key === undefined || key === '') throw new ControlError(400, 'INVALID_BODY', `${b.type} needs ${what}`);
      return key;
    };
    let input: OaEventInput;
    if (b.type === 'subscribe')
      input = key
        ? { type: 'subscribe', sceneValue: key, ticket }
        : key === ''
          ? { type: 'subscribe', eventKey: '' }
          : { type: 'subscribe' };
    else if (b.type === 'unsubscribe') input = { type: 'unsubscribe' };
    else if (b.type === 'SCAN') input = { type: 'SCAN', eventKey: need('eventKey (the scene value)'), ticket };
    else if (b.type === 'CLICK') input = { type: 'CLICK', eventKey: need('eventKey (the menu key)') };
    else if (b.type === 'VIEW') input = { type: 'VIEW', eventKey: need('eventKey (the target URL)'), menuId: b.menuId };
    else
      input = {
        type: 'TEMPLATESENDJOBFINISH',
        msgId: b.msgId === undefined ? templateMsgId() : BigInt(b.msgId),
        status: b.status ?? 'success',
      };
    return this.send(t, buildOaEvent(h, input), b);
  }

  /** A privacy event for an OA (XML) or a Mini Program (XML or JSON) user (wechat-api-events.md §1). */
  privacyEvent(kind: 'official-account' | 'mini-program', appId: string, b: PrivacyEventBody): Promise<DeliveryRecord> {
    const t = this.target(kind, appId);
    const input = {
      event: b.event,
      openid: b.openid,
      appId,
      revokeInfo: b.revokeInfo === undefined ? undefined : String(b.revokeInfo),
      pluginId: b.pluginId,
      openPid: b.openPid,
    };
    const format = kind === 'official-account' ? 'xml' : b.format;
    return this.send(t, buildPrivacyEvent(this.header(t, b.openid, b.createTime), input), { ...b, format });
  }

  /** A subscribe-message popup, change or sent event (wechat-api-events.md §2.5). */
  subscribeMsgEvent(
    kind: 'official-account' | 'mini-program',
    appId: string,
    b: SubscribeMsgEventBody,
  ): Promise<DeliveryRecord> {
    const t = this.target(kind, appId);
    const format = kind === 'official-account' ? 'xml' : (b.format ?? t.format ?? 'xml');
    const msg = buildSubscribeMsgEvent(this.header(t, b.openid, b.createTime), b.event, b.templates, format);
    return this.send(t, msg, { ...b, format });
  }

  oaMessage(appId: string, b: OaMessageBody): Promise<DeliveryRecord> {
    const t = this.target('official-account', appId);
    const media = b.mediaId ?? mediaId();
    const thumb = b.thumbMediaId ?? mediaId();
    const inputs: Record<OaMessageBody['type'], OaMessageInput> = {
      text: { type: 'text', content: b.content ?? 'hello', msgDataId: b.msgDataId, idx: b.idx },
      image: { type: 'image', picUrl: b.picUrl ?? `http://mmbiz.qpic.cn/mmbiz_jpg/${media}/0`, mediaId: media },
      voice: { type: 'voice', mediaId: media, format: b.voiceFormat ?? 'amr', recognition: b.recognition },
      video: { type: 'video', mediaId: media, thumbMediaId: thumb },
      shortvideo: { type: 'shortvideo', mediaId: media, thumbMediaId: thumb },
      location: {
        type: 'location',
        latitude: b.latitude ?? 23.134521,
        longitude: b.longitude ?? 113.358803,
        scale: b.scale ?? 20,
        label: b.label ?? '广州市天河区',
      },
      link: {
        type: 'link',
        title: b.title ?? 'Siyu',
        description: b.description ?? '',
        url: b.linkUrl ?? 'https://example.com/',
      },
    };
    return this.send(t, buildOaMessage(this.header(t, b.openid, b.createTime), inputs[b.type], toId64(b.msgId)), b);
  }

  mpMessage(appId: string, b: MpMessageBody): Promise<DeliveryRecord> {
    const t = this.target('mini-program', appId);
    const media = b.mediaId ?? mediaId();
    const inputs: Record<MpMessageBody['type'], MpMessageInput> = {
      text: { type: 'text', content: b.content ?? 'hello' },
      image: { type: 'image', picUrl: b.picUrl ?? `http://mmbiz.qpic.cn/mmbiz_jpg/${media}/0`, mediaId: media },
      miniprogrampage: {
        type: 'miniprogrampage',
        title: b.title ?? 'Siyu',
        appId: b.appId ?? appId,
        pagePath: b.pagePath ?? 'pages/index/index',
        thumbUrl: b.thumbUrl ?? `http://mmbiz.qpic.cn/mmbiz_jpg/${media}/0`,
        thumbMediaId: b.thumbMediaId ?? media,
      },
      user_enter_tempsession: { type: 'user_enter_tempsession', sessionFrom: b.sessionFrom ?? '' },
    };
    return this.send(t, buildMpMessage(this.header(t, b.openid, b.createTime), inputs[b.type], toId64(b.msgId)), b);
  }

  externalContact(corpId: string, b: ExternalContactBody): Promise<DeliveryRecord> {
    const t = this.target('wecom', corpId);
    const h = { corpId, createTime: b.createTime ?? this.deps.clock.nowSeconds() };
    const common = { userId: b.userId, externalUserId: b.externalUserId };
    const msg =
      b.changeType === 'add_external_contact' || b.changeType === 'add_half_external_contact'
        ? buildExternalContactEvent(h, {
            changeType: b.changeType,
            ...common,
            state: b.state,
            welcomeCode: b.welcomeCode,
          })
        : b.changeType === 'del_external_contact'
          ? buildExternalContactEvent(h, { changeType: b.changeType, ...common, source: b.source })
          : b.changeType === 'transfer_fail'
            ? buildExternalContactEvent(h, {
                changeType: b.changeType,
                ...common,
                failReason: b.failReason ?? 'customer_refused',
              })
            : buildExternalContactEvent(h, { changeType: b.changeType, ...common });
    return this.send(t, msg, b);
  }

  memberChange(corpId: string, b: MemberChangeBody): Promise<DeliveryRecord> {
    const t = this.target('wecom', corpId);
    const h = { corpId, createTime: b.createTime ?? this.deps.clock.nowSeconds() };
    const { changeType, userId, newUserId, name, departments, position, status, minimal } = b;
    const msg =
      changeType === 'delete_user'
        ? buildMemberChangeEvent(h, { changeType, userId })
        : buildMemberChangeEvent(h, { changeType, userId, newUserId, name, departments, position, status, minimal });
    return this.send(t, msg, b);
  }

  externalTag(corpId: string, b: ExternalTagBody): Promise<DeliveryRecord> {
    const t = this.target('wecom', corpId);
    const h = { corpId, createTime: b.createTime ?? this.deps.clock.nowSeconds() };
    return this.send(
      t,
      buildExternalTagEvent(h, { id: b.id, tagType: b.tagType, changeType: b.changeType, strategyId: b.strategyId }),
      b,
    );
  }

  /** change_external_chat, stamped with the emulator clock. */
  externalChat(corpId: string, input: ExternalChatInput): Promise<DeliveryRecord> {
    const t = this.target('wecom', corpId);
    return this.send(t, buildExternalChatEvent({ corpId, createTime: this.deps.clock.nowSeconds() }, input));
  }

  verifyUrl(kind: CallbackTarget['kind'], id: string, b: VerifyUrlBody): Promise<DeliveryRecord> {
    return verifyCallbackUrl(this.target(kind, id), { ...b, clock: this.deps.clock, log: this.log });
  }
}

const services = new WeakMap<SenderDeps, CallbackService>();

/** The callback service of one emulator: the control router and any in-process caller share its log. */
export function callbackServiceFor(deps: SenderDeps): CallbackService {
  let s = services.get(deps);
  if (!s) {
    s = new CallbackService(deps);
    services.set(deps, s);
  }
  return s;
}
