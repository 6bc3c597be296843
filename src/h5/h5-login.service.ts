import type { DataSource } from '../storage';
import type { OauthScope, OauthTokenWire, OauthUserInfoWire } from '../../connectors/h5/client-types';
import type { H5Client } from '../../connectors/h5/client';
import { findOfficialAccount, type OfficialAccount, type SiyuConfig } from '../../config';
import type { SessionTokens } from '../auth/session-token';
import type { IdentityService } from '../identity/identity.service';
import type { Logger } from '../logger';
import { FrontDoorError, frontDoorErrorOf } from './front-door.errors';
import { callbackPath, type IssuedState, type OauthStates } from './oauth-state';
import type { OriginAllowList } from './origin-allow-list';
import { anonymousRefs, checkedAnonymousId } from './anonymous-login';
import { resolveVisitor, unionidRef } from './visitor-identity';
import { issueVisitorToken } from './visitor-session';

export interface H5LoginDeps {
  ds: DataSource;
  config: SiyuConfig;
  logger: Logger;
  h5(appId: string): H5Client;
  identity: IdentityService;
  tokens: SessionTokens;
  states: OauthStates;
  allow: OriginAllowList;
}

export interface LoginStart {
  location: string;
  state: IssuedState;
}

export interface LoginDone {
  redirect: string;
  sessionToken: string;
  customerId: string;
}

const SCOPES: readonly OauthScope[] = ['snsapi_base', 'snsapi_userinfo'];

/**
 * H5 web OAuth of an Official Account (DESIGN §8.2; wechat-api.md §7): the login step sends the browser to WeChat's
 * authorize page with a fresh state bound to the browser; the callback step checks that state, exchanges the
 * code, records the visitor through identity resolution and issues the visitor session.
 */
export class H5LoginService {
  constructor(private readonly deps: H5LoginDeps) {}

  account(appId: string): OfficialAccount {
    const a = findOfficialAccount(this.deps.config, appId);
    if (!a) throw new FrontDoorError('ACCOUNT_NOT_FOUND', `no official account ${appId} is configured`);
    return a;
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html#0 */
  start(appId: string, redirect: unknown, scope: unknown, anonymousId?: unknown): LoginStart {
    this.account(appId);
    const target = this.deps.allow.allowedUrl(redirect);
    if (!target)
      throw new FrontDoorError(
        'REDIRECT_NOT_ALLOWED',
        'redirect must be an absolute URL on one of server.allowedOrigins',
      );
    const s = scope === undefined || scope === '' ? 'snsapi_base' : scope;
    if (!SCOPES.includes(s as OauthScope))
      throw new FrontDoorError('INVALID_SCOPE', 'scope must be snsapi_base or snsapi_userinfo');
    // Checked now, so a malformed id is refused before the visitor goes to WeChat.
    const state = this.deps.states.issue(appId, target.href, s as OauthScope, checkedAnonymousId(anonymousId));
    const callback = `${this.deps.config.server.publicUrl}${callbackPath(appId)}`;
    return { location: this.deps.h5(appId).authorizeUrl(callback, s as OauthScope, state.state), state };
  }

  /**
   * The state is checked before anything else (CSRF); WeChat sends only `state` when the visitor refused
   * consent. https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html#1
   */
  async finish(appId: string, code: unknown, state: unknown, stateCookie: string | undefined): Promise<LoginDone> {
    const account = this.account(appId);
    const attempt = await this.deps.states.consume(appId, state, stateCookie);
    if (typeof code !== 'string' || code === '')
      throw new FrontDoorError('AUTHORIZATION_DECLINED', 'the WeChat authorization was declined');
    if (code.length > 512) throw new FrontDoorError('INVALID_CODE', 'the login code is invalid; start again');
    const client = this.deps.h5(appId);
    let grant: OauthTokenWire;
    try {
      grant = await client.exchangeCode(code);
    } catch (e) {
      throw frontDoorErrorOf(e, 'login');
    }
    // Snapshot-mode visitors get a virtual openid that is no real person (wechat-api.md §7.1): nothing to link.
    if (grant.is_snapshotuser === 1)
      throw new FrontDoorError('SNAPSHOT_USER', 'open the page in WeChat and tap "use full service" to sign in');
    const info = grant.scope.includes('snsapi_userinfo')
      ? await this.userInfo(client, grant.access_token, grant.openid)
      : undefined;
    const unionid = grant.unionid || info?.unionid || undefined;
    const customerId = await resolveVisitor(this.deps.ds, this.deps.identity, {
      identities: [
        { type: 'h5_openid', scope: appId, value: grant.openid },
        ...unionidRef(unionid, account.openPlatformId),
      ],
      // H5 OAuth runs under the OA's appid, so its openid is that OA's openid for this person.
      // The anonymous visitor this browser was before (DESIGN §11) becomes this person.
      ifKnown: [{ type: 'oa_openid', scope: appId, value: grant.openid }, ...anonymousRefs(attempt.an, appId)],
      source: `h5.oauth.${attempt.sc}`,
      ...(info ? { profile: profileOf(info) } : {}),
    });
    const sessionToken = issueVisitorToken(this.deps.tokens, {
      ch: 'h5',
      app: appId,
      oid: grant.openid,
      ...(unionid ? { uid: unionid } : {}),
    });
    return { redirect: attempt.r, sessionToken, customerId };
  }

  /** The profile is a bonus: a failed userinfo read still signs the visitor in, without nickname and avatar. */
  private async userInfo(client: H5Client, webToken: string, openid: string): Promise<OauthUserInfoWire | undefined> {
    try {
      return await client.userInfo(webToken, openid);
    } catch (e) {
      this.deps.logger.warn(
        { appId: client.appId, err: e instanceof Error ? e.message : String(e) },
        'sns/userinfo failed; signing in without profile',
      );
      return undefined;
    }
  }
}

function profileOf(info: OauthUserInfoWire): { displayName?: string; avatarUrl?: string } {
  return {
    ...(info.nickname ? { displayName: info.nickname } : {}),
    ...(info.headimgurl ? { avatarUrl: info.headimgurl } : {}),
  };
}
