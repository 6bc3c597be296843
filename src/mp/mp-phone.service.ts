import type { PhoneNumber } from '../../connectors/mini-program/client-types';
import { FrontDoorError, frontDoorErrorOf } from '../h5/front-door.errors';
import { resolveVisitor } from '../h5/visitor-identity';
import type { VisitorSession } from '../h5/visitor-session';
import { maskPhone, normalizePhone } from '../security/phone-crypto';
import { miniProgramAccount, type MpDeps } from './mp-login.service';

export interface MpPhoneResult {
  customerId: string;
  /** Masked (`138****8000`): the Mini Program has the number already; the response need not carry it. */
  phone: string;
  verified: true;
}

/**
 * `POST /mp/:appId/phone {code}` with the login token (DESIGN §8.2): the getPhoneNumber button's code →
 * getuserphonenumber (bound to the token's openid, so a code from another user's phone button is refused) →
 * a verified `phone` identity. Identity resolution encrypts it at rest, stores the keyed hash for lookup and,
 * with `identity.mergeByPhone` (default), merges a customer already holding that number (DESIGN §4).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html
 */
export class MpPhoneService {
  constructor(private readonly deps: MpDeps) {}

  async link(appId: string, session: VisitorSession, code: string): Promise<MpPhoneResult> {
    miniProgramAccount(this.deps.config, appId);
    if (session.ch !== 'mp' || session.app !== appId)
      throw new FrontDoorError('WRONG_APP', `this token was not issued by mini program ${appId}`);
    let info: PhoneNumber;
    try {
      info = await this.deps.mp(appId).getUserPhoneNumber(code, session.oid);
    } catch (e) {
      throw frontDoorErrorOf(e, 'phone number');
    }
    if (info.watermarkAppId !== undefined && info.watermarkAppId !== appId)
      throw new FrontDoorError('INVALID_CODE', 'the phone number was issued for another app');
    const phone = normalizePhone(
      info.countryCode === '86' || info.countryCode === ''
        ? info.purePhoneNumber
        : `+${info.countryCode}${info.purePhoneNumber}`,
    );
    const customerId = await resolveVisitor(this.deps.ds, this.deps.identity, {
      identities: [
        { type: 'mp_openid', scope: appId, value: session.oid },
        { type: 'phone', scope: 'default', value: phone },
      ],
      source: 'mp.phone',
      verified: true,
    });
    return { customerId, phone: maskPhone(phone), verified: true };
  }
}
