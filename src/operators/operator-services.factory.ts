import type { AppContext } from '../app-context';
import type { SessionTokens } from '../auth/session-token';
import { OauthStates } from '../h5/oauth-state';
import type { Clients } from '../tokens/clients';
import { ConsoleLoginService } from './console-login.service';
import { ConsoleSessionService } from './console-session.service';
import { OperatorService } from './operator.service';
import { PasswordLoginService } from './password-login.service';

/** What console sign-in and the operators API share in one process (built once by src/services.ts). */
export interface OperatorServices {
  accounts: OperatorService;
  sessions: ConsoleSessionService;
  passwords: PasswordLoginService;
  wecomLogin: ConsoleLoginService;
}

/** On the process's WeChat clients and the one SessionTokens signer the sidebar and H5 sessions use too. */
export function createOperatorServices(
  app: AppContext & { clients: Clients; sessionTokens: SessionTokens },
): OperatorServices {
  const now = (): number => app.now();
  const deps = { ds: app.ds, now };
  return {
    accounts: new OperatorService(deps),
    sessions: new ConsoleSessionService(deps, app.sessionTokens),
    passwords: new PasswordLoginService(deps),
    wecomLogin: new ConsoleLoginService({
      config: app.config,
      ds: app.ds,
      states: new OauthStates(app.sessionTokens, now, undefined, app.ds),
      wecom: (corpId) => app.clients.wecom(corpId),
    }),
  };
}
