import type { SiyuConfig } from '../../config';
import type { WecomClient } from '../../connectors/wecom/client';
import type { SessionTokens } from '../auth/session-token';
import { wecomUserOfCode } from '../h5/wecom-login-code';
import type { IssuedState, OauthStates } from '../h5/oauth-state';
import { sidebarCorp, type SidebarCorp } from './sidebar-corps';
import { SidebarError } from './sidebar.errors';
import { issueStaffToken, type StaffSession } from './staff-session';

export const SIDEBAR_CALLBACK_PATH = '/sidebar/oauth/callback';
/**
 * The login states of the sidebar share the H5 machinery (signed cookie, single use across instances) under
 * one pseudo app id; the corp travels in the signed return path, because WeCom's callback URL names no corp.
 */
const STATE_APP = 'wecom-sidebar';

export interface SidebarLoginDeps {
  config: SiyuConfig;
  states: OauthStates;
  tokens: SessionTokens;
  wecom(corpId: string): WecomClient;
}

export interface SidebarLoginDone {
  session: StaffSession;
  token: string;
  redirect: string;
}

/**
 * WeCom web OAuth for the sidebar's app (wechat-api.md §5.11): the staff member's identity comes only from
 * `auth/getuserinfo` on the server, never from the page (DESIGN §7).
 */
export class SidebarLoginService {
  constructor(private readonly deps: SidebarLoginDeps) {}

  /** https://developer.work.weixin.qq.com/document/path/91022 */
  start(corpIdParam: unknown): { location: string; state: IssuedState } {
    const corp = sidebarCorp(this.deps.config, corpIdParam);
    const state = this.deps.states.issue(
      STATE_APP,
      `/sidebar?corpId=${encodeURIComponent(corp.corpId)}`,
      'snsapi_base',
    );
    const q = new URLSearchParams({
      appid: corp.corpId,
      redirect_uri: `${this.deps.config.server.publicUrl}${SIDEBAR_CALLBACK_PATH}`,
      response_type: 'code',
      scope: 'snsapi_base',
      state: state.state,
      agentid: String(corp.agentId),
    });
    return { location: `${corp.oauthBase}/connect/oauth2/authorize?${q}#wechat_redirect`, state };
  }

  /** The state first (CSRF), then the code; only a corp member (a `userid`) gets a session. */
  async finish(code: unknown, state: unknown, stateCookie: string | undefined): Promise<SidebarLoginDone> {
    const attempt = await this.deps.states.consume(STATE_APP, state, stateCookie);
    const corp = this.corpOf(attempt.r);
    const who = await wecomUserOfCode(this.deps.wecom(corp.corpId), code, 'open the sidebar again');
    if (!who.userid)
      throw new SidebarError(
        'NOT_A_MEMBER',
        `the sidebar is for members of corp ${corp.corpId}; this WeChat user is not one`,
      );
    const session = { corpId: corp.corpId, userid: who.userid };
    return { session, token: issueStaffToken(this.deps.tokens, session), redirect: attempt.r };
  }

  private corpOf(returnPath: string): SidebarCorp {
    const corpId = new URL(returnPath, 'http://sidebar.invalid').searchParams.get('corpId');
    return sidebarCorp(this.deps.config, corpId ?? undefined);
  }
}
