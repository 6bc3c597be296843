import type Router from '@koa/router';
import { z } from 'zod';
import { userInfo } from '../api/oa/user-view';
import type { EmulatorState } from '../state';
import { QR_SCENE } from '../world/oa-audience';
import { OaQrCodeStore, type OaQrCode } from '../world/oa-qrcodes';
import { ControlError, notFound, readBody } from './control-body';
import type { Notifier } from './notify';
import { oaAudienceOf } from './world-lookup';

/**
 * Parametric QR codes of an OA (created through qrcode/create) and people scanning them:
 *   POST /oa/:appId/qrcodes/:ticket/scan {openid? | personId?, notify?}  → { user, followed, delivery? }
 *     someone who does not follow (a new person when neither is given) follows through the code: user/info then
 *     shows ADD_SCENE_QR_CODE with the code's scene, and `subscribe` goes out with EventKey qrscene_<scene> and
 *     the Ticket; a follower's scan sends `SCAN` with the bare scene. notify: false changes the world only.
 *     An expired code is 409 QR_EXPIRED, an unknown ticket 404.
 *   GET  /state/oa/:appId/qrcodes                                      → { qrcodes:[…], permanentCount, permanentLimit }
 */
function codeView(code: OaQrCode): Record<string, unknown> {
  return {
    ticket: code.ticket,
    url: code.url,
    actionName: code.actionName,
    sceneId: code.sceneId,
    sceneStr: code.sceneStr,
    createdAt: code.createdAt,
    expiresAt: code.expiresAt ?? null,
    scans: code.scans,
  };
}

export function oaQrCodeRoutes(router: Router, state: EmulatorState, notifier: Notifier): void {
  router.post('/oa/:appId/qrcodes/:ticket/scan', async (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const ticket = ctx.params.ticket!;
    const b = await readBody(
      ctx,
      z.object({
        openid: z.string().optional(),
        personId: z.number().int().min(0).optional(),
        notify: z.boolean().default(true),
      }),
    );
    const now = state.now();
    const code = aud.qrcodes.byTicket.get(ticket);
    if (!code) throw notFound('QR code ticket', ticket);
    if (!aud.qrcodes.live(ticket, now))
      throw new ControlError(409, 'QR_EXPIRED', `the QR code ${ticket} expired at ${code.expiresAt}`);
    const w = state.world;
    let slot: number;
    if (b.openid !== undefined) {
      slot = aud.slotOf(b.openid);
      if (slot < 0) throw notFound('openid', b.openid);
    } else {
      if (b.personId !== undefined && !w.persons.exists(b.personId)) throw notFound('person', String(b.personId));
      slot = aud.ensureSlot(b.personId ?? w.addPerson(), now);
    }
    const followed = !aud.isFollower(slot);
    if (followed) aud.subscribe(slot, now, QR_SCENE, { scene: code.sceneId, sceneStr: code.sceneStr });
    code.scans++;
    const openid = aud.openid(slot);
    const user = userInfo(aud, slot);
    ctx.body = b.notify
      ? {
          user,
          followed,
          delivery: await notifier.oaQrScan(
            aud.app.appId,
            openid,
            followed,
            OaQrCodeStore.sceneValue(code),
            code.ticket,
          ),
        }
      : { user, followed };
  });

  router.get('/state/oa/:appId/qrcodes', (ctx) => {
    const aud = oaAudienceOf(state, ctx.params.appId!);
    const store = aud.qrcodes;
    ctx.body = {
      qrcodes: [...store.byTicket.values()].map(codeView),
      permanentCount: store.permanentCount,
      permanentLimit: store.permanentLimit,
    };
  });
}
