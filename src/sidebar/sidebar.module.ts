import type { AppContext } from '../app-context';
import { sessionTokensFor, type SessionTokens } from '../auth/session-token';
import { ProfileService } from '../customers/profile.service';
import { OauthStates } from '../h5/oauth-state';
import { PhoneCrypto } from '../security/phone-crypto';
import { syncRuntime } from '../syncs/sync-runtime';
import { tagServices } from '../tags/tags.module';
import { SidebarCustomersService } from './sidebar-customers.service';
import { SidebarJssdkService } from './sidebar-jssdk.service';
import { SidebarLoginService } from './sidebar-login.service';

/** What the sidebar routes share in one process. */
export interface SidebarServices {
  tokens: SessionTokens;
  login: SidebarLoginService;
  jssdk: SidebarJssdkService;
  customers: SidebarCustomersService;
}

/**
 * WeChat clients come from the process-wide `syncRuntime` (one token manager per account, shared tickets),
 * looked up on first use so a test can install emulator-backed clients before the first request.
 */
export function sidebarServices(app: AppContext): SidebarServices {
  const tokens = sessionTokensFor(app);
  const wecom = (corpId: string) => syncRuntime(app).clients.wecom(corpId);
  const { assignments, catalog } = tagServices(app);
  return {
    tokens,
    login: new SidebarLoginService({ config: app.config, states: new OauthStates(tokens, () => app.now(), undefined, app.ds), tokens, wecom }),
    jssdk: new SidebarJssdkService({ config: app.config, wecom, now: () => app.now() }),
    customers: new SidebarCustomersService({
      ds: app.ds,
      config: app.config,
      profiles: new ProfileService({ config: app.config, phoneCrypto: new PhoneCrypto(app.config.security.dataKey), now: app.now }),
      assignments,
      catalog,
    }),
  };
}
