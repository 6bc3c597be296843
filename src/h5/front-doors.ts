import type { AppContext } from '../app-context';
import type { SessionTokens } from '../auth/session-token';
import type { IdentityService } from '../identity/identity.service';
import type { Clients } from '../tokens/clients';
import { H5LoginService } from './h5-login.service';
import { JssdkConfigService } from './jssdk-config.service';
import { OauthStates } from './oauth-state';
import { OriginAllowList } from './origin-allow-list';

/** What the H5, Mini Program and /track routes share in one process. */
export interface FrontDoors {
  allow: OriginAllowList;
  tokens: SessionTokens;
  identity: IdentityService;
  clients: Clients;
  h5Login: H5LoginService;
  jssdk: JssdkConfigService;
}

/** The front doors on the process's clients, identity service and session signer (src/services.ts). */
export function createFrontDoors(
  app: AppContext,
  deps: { clients: Clients; identity: IdentityService; tokens: SessionTokens },
): FrontDoors {
  const { clients, identity, tokens } = deps;
  const allow = new OriginAllowList(app.config.server.allowedOrigins);
  const h5 = (appId: string) => clients.h5(appId);
  return {
    allow,
    tokens,
    identity,
    clients,
    h5Login: new H5LoginService({
      ds: app.ds,
      config: app.config,
      logger: app.logger,
      h5,
      identity,
      tokens,
      states: new OauthStates(tokens, () => app.now(), undefined, app.ds),
      allow,
    }),
    jssdk: new JssdkConfigService({ config: app.config, h5, allow, now: () => app.now() }),
  };
}
