import type { DataSource } from '../storage';
import type { MiniProgramClient } from '../../connectors/mini-program/client';
import { findMiniProgram, type MiniProgramAccount, type SiyuConfig } from '../../config';
import type { SessionTokens } from '../auth/session-token';
import { FrontDoorError, frontDoorErrorOf } from '../h5/front-door.errors';
import { resolveVisitor, unionidRef } from '../h5/visitor-identity';
import { anonymousRefs } from '../h5/anonymous-login';
import { issueVisitorToken } from '../h5/visitor-session';
import type { IdentityService } from '../identity/identity.service';

export interface MpDeps {
  ds: DataSource;
  config: SiyuConfig;
  mp(appId: string): MiniProgramClient;
  identity: IdentityService;
  tokens: SessionTokens;
}

export interface MpLoginResult {
  customerId: string;
  openid: string;
  unionid?: string;
  token: string;
}

export function miniProgramAccount(config: SiyuConfig, appId: string): MiniProgramAccount {
  const a = findMiniProgram(config, appId);
  if (!a) throw new FrontDoorError('ACCOUNT_NOT_FOUND', `no mini program ${appId} is configured`);
  return a;
}

/**
 * `POST /mp/:appId/login {code}` (DESIGN §8.2): wx.login code → code2Session → identity resolution → a signed,
 * expiring visitor token. The session_key is dropped right here: it is never returned, logged or stored
 * (getuserphonenumber needs no session_key, and legacy encryptedData is not accepted).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 */
export class MpLoginService {
  constructor(private readonly deps: MpDeps) {}

  async login(appId: string, code: string, anonymousId?: string): Promise<MpLoginResult> {
    const account = miniProgramAccount(this.deps.config, appId);
    let openid: string;
    let unionid: string | undefined;
    try {
      const session = await this.deps.mp(appId).code2Session(code);
      openid = session.openid;
      unionid = typeof session.unionid === 'string' && session.unionid !== '' ? session.unionid : undefined;
    } catch (e) {
      throw frontDoorErrorOf(e, 'Mini Program login');
    }
    const customerId = await resolveVisitor(this.deps.ds, this.deps.identity, {
      identities: [{ type: 'mp_openid', scope: appId, value: openid }, ...unionidRef(unionid, account.openPlatformId)],
      // The anonymous visitor this Mini Program was before login (DESIGN §11) becomes this person.
      ifKnown: anonymousRefs(anonymousId, appId),
      source: 'mp.login',
    });
    const token = issueVisitorToken(this.deps.tokens, {
      ch: 'mp',
      app: appId,
      oid: openid,
      ...(unionid ? { uid: unionid } : {}),
    });
    return { customerId, openid, ...(unionid ? { unionid } : {}), token };
  }
}
