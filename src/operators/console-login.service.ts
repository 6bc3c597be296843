import type { SiyuConfig, WecomAccount } from '../../config';
import type { WecomClient } from '../../connectors/wecom/client';
import { wecomUserOfCode } from '../h5/wecom-login-code';
import type { IssuedState, OauthStates } from '../h5/oauth-state';
import type { Db } from '../storage';
import { findOperatorByMember } from '../storage/operators/operator.repository';
import { memberName } from '../storage/staff/wecom-staff.repository';
import { OperatorError } from './operator.errors';

export const CONSOLE_CALLBACK_PATH = '/auth/wecom/callback';
export const CONSOLE_HOME = '/console';
/** Login states of the console share the H5 machinery (signed cookie, single use across instances). */
const STATE_APP = 'console';

/** A corp whose self-built app can sign people in: Web login and getuserinfo need its agentId and agentSecret. */
export type LoginCorp = WecomAccount & { agentId: number; agentSecret: string };

export interface ConsoleLoginDeps {
  config: SiyuConfig;
  ds: Db;
  states: OauthStates;
  wecom(corpId: string): WecomClient;
}

/**
 * WeCom sign-in for the console (DESIGN §7.1): WeCom Web login on a PC, OAuth `snsapi_base` inside the WeCom
 * client; either way the code becomes a userid with `auth/getuserinfo` on the server. The state is bound to the
 * browser (signed cookie), single use, 10 minutes; `next` is a same-origin path, carried inside the signed state.
 */
export class ConsoleLoginService {
  constructor(private readonly deps: ConsoleLoginDeps) {}

  /** The corps a person can sign in with. */
  corps(): LoginCorp[] {
    return this.deps.config.accounts.filter(
      (a): a is LoginCorp => a.kind === 'wecom' && a.agentId !== undefined && a.agentSecret !== undefined,
    );
  }

  /**
   * https://developer.work.weixin.qq.com/document/path/98151 (Web login) and
   * https://developer.work.weixin.qq.com/document/path/91022 (OAuth inside WeCom).
   */
  start(corpIdParam: unknown, nextParam: unknown, insideWecom: boolean): { location: string; state: IssuedState } {
    const corp = this.corpOf(corpIdParam);
    const next = safeNext(nextParam);
    const ret = `${CONSOLE_CALLBACK_PATH}?${new URLSearchParams({ corpId: corp.corpId, next })}`;
    const state = this.deps.states.issue(STATE_APP, ret, 'snsapi_base');
    const redirectUri = `${this.deps.config.server.publicUrl}${CONSOLE_CALLBACK_PATH}`;
    if (insideWecom) {
      const q = new URLSearchParams({
        appid: corp.corpId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'snsapi_base',
        state: state.state,
        agentid: String(corp.agentId),
      });
      return { location: `${corp.oauthBase}/connect/oauth2/authorize?${q}#wechat_redirect`, state };
    }
    const q = new URLSearchParams({
      login_type: 'CorpApp',
      appid: corp.corpId,
      agentid: String(corp.agentId),
      redirect_uri: redirectUri,
      state: state.state,
      lang: 'zh',
    });
    return { location: `${corp.loginBase}/wwlogin/sso/login?${q}`, state };
  }

  /** The state first (CSRF), then the code; only an enabled operator gets through, anyone else a 403 naming them. */
  async finish(
    code: unknown,
    state: unknown,
    stateCookie: string | undefined,
  ): Promise<{ operatorId: string; next: string }> {
    const attempt = await this.deps.states.consume(STATE_APP, state, stateCookie);
    const ret = new URL(attempt.r, 'http://console.invalid').searchParams;
    const corp = this.corpOf(ret.get('corpId') ?? undefined);
    const who = await wecomUserOfCode(this.deps.wecom(corp.corpId), code, 'sign in again');
    if (!who.userid)
      throw new OperatorError(
        'NOT_AN_OPERATOR',
        `您登录的企业微信账号不是 ${corp.name ?? corp.corpId} 的成员。 The WeCom account you signed in with is not a member of ${corp.name ?? corp.corpId}.`,
      );
    const operator = await findOperatorByMember(this.deps.ds, corp.corpId, who.userid);
    if (!operator?.enabled) {
      const name = (await memberName(this.deps.ds, corp.corpId, who.userid)) ?? who.userid;
      const label = name === who.userid ? who.userid : `${name}（${who.userid}）`;
      throw new OperatorError(
        'NOT_AN_OPERATOR',
        `您已以企业微信成员 ${label} 登录，但不是控制台的${operator ? '启用' : ''}操作员，请联系管理员添加。 ` +
          `You are signed in to WeCom as ${label}, who is not ${operator ? 'an enabled' : 'an'} operator of this console; ask an admin to add you.`,
        { corpId: corp.corpId, userid: who.userid, name },
      );
    }
    return { operatorId: operator.id, next: safeNext(ret.get('next') ?? undefined) };
  }

  private corpOf(corpId: unknown): LoginCorp {
    const corps = this.corps();
    if (typeof corpId === 'string' && corpId !== '') {
      const c = corps.find((a) => a.corpId === corpId);
      if (!c) throw new OperatorError('WECOM_LOGIN_UNAVAILABLE', `WeCom sign-in is not set up for corp ${corpId}`);
      return c;
    }
    if (corpId !== undefined && corpId !== '') throw new OperatorError('WECOM_LOGIN_UNAVAILABLE', 'give one corpId');
    if (corps.length === 0)
      throw new OperatorError('WECOM_LOGIN_UNAVAILABLE', 'no WeCom account with agentId and agentSecret is configured');
    if (corps.length > 1)
      throw new OperatorError('WECOM_LOGIN_UNAVAILABLE', 'several WeCom corps are configured: sign in with ?corpId=');
    return corps[0]!;
  }
}

/**
 * `next` is a path on this origin only: `/…` but not `//host` or `/\host` (which browsers read as another
 * host), no scheme, no control characters; absent means the console.
 */
export function safeNext(next: unknown): string {
  if (next === undefined || next === '') return CONSOLE_HOME;
  if (
    typeof next !== 'string' ||
    next.length > 512 ||
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.startsWith('/\\') ||
    [...next].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '\\')
  )
    throw new OperatorError('NEXT_NOT_ALLOWED', 'next must be a path on this site, like /console');
  if (new URL(next, 'http://console.invalid').origin !== 'http://console.invalid')
    throw new OperatorError('NEXT_NOT_ALLOWED', 'next must be a path on this site, like /console');
  return next;
}
