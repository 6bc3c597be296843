import type { AppContext } from '../app-context';
import { sessionTokensFor, type SessionTokens } from '../auth/session-token';
import { identityServiceFor } from '../identity/identity-service.factory';
import type { IdentityService } from '../identity/identity.service';
import { syncRuntime } from '../syncs/sync-runtime';
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
  clients(): Clients;
  h5Login: H5LoginService;
  jssdk: JssdkConfigService;
}

const byContext = new WeakMap<AppContext, FrontDoors>();

/**
 * One set per app context. WeChat clients are the process-wide set of `syncRuntime` (one token manager and one
 * HTTP caller per account), looked up on first use so a test can install emulator-backed clients first.
 */
export function frontDoorsFor(app: AppContext): FrontDoors {
  let f = byContext.get(app);
  if (f) return f;
  const clients = (): Clients => syncRuntime(app).clients;
  const allow = new OriginAllowList(app.config.server.allowedOrigins);
  const tokens = sessionTokensFor(app);
  const identity = identityServiceFor(app);
  const h5 = (appId: string) => clients().h5(appId);
  f = {
    allow,
    tokens,
    identity,
    clients,
    h5Login: new H5LoginService({ ds: app.ds, config: app.config, logger: app.logger, h5, identity, tokens, states: new OauthStates(tokens, () => app.now(), undefined, app.ds), allow }),
    jssdk: new JssdkConfigService({ config: app.config, h5, allow, now: () => app.now() }),
  };
  byContext.set(app, f);
  return f;
}
