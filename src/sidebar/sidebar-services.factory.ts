import type { AppContext } from '../app-context';
import type { SessionTokens } from '../auth/session-token';
import type { ProfileService } from '../customers/profile.service';
import { OauthStates } from '../h5/oauth-state';
import type { TagServices } from '../tags/tags-services.factory';
import type { Clients } from '../tokens/clients';
import { SidebarCustomersService, type SidebarCustomersDeps } from './sidebar-customers.service';
import { SidebarJssdkService } from './sidebar-jssdk.service';
import { SidebarLoginService } from './sidebar-login.service';

/** What the sidebar routes share in one process (built once by src/services.ts). */
export interface SidebarServices {
  tokens: SessionTokens;
  login: SidebarLoginService;
  jssdk: SidebarJssdkService;
  customers: SidebarCustomersService;
}

/** On the process's WeChat clients (one token manager per account, shared tickets), signer, profiles and tag services. */
export function createSidebarServices(
  app: AppContext & {
    clients: Clients;
    sessionTokens: SessionTokens;
    profiles: ProfileService;
    tags: TagServices;
    attributes: SidebarCustomersDeps['attributes'];
  },
): SidebarServices {
  const tokens = app.sessionTokens;
  const wecom = (corpId: string) => app.clients.wecom(corpId);
  const { assignments, catalog } = app.tags;
  return {
    tokens,
    login: new SidebarLoginService({
      config: app.config,
      states: new OauthStates(tokens, () => app.now(), undefined, app.ds),
      tokens,
      wecom,
    }),
    jssdk: new SidebarJssdkService({ config: app.config, wecom, now: () => app.now() }),
    customers: new SidebarCustomersService({
      ds: app.ds,
      config: app.config,
      profiles: app.profiles,
      assignments,
      catalog,
      attributes: app.attributes,
    }),
  };
}
