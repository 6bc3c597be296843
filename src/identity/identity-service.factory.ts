import type { AppContext } from '../app-context';
import { IdentityHasher } from '../security/identity-hash';
import { PhoneCrypto } from '../security/phone-crypto';
import { IdentityService } from './identity.service';

const services = new WeakMap<object, IdentityService>();

/** One IdentityService per app context (keys derived once), for the processor, the API and other modules. */
export function identityServiceFor(app: Pick<AppContext, 'config' | 'now'>): IdentityService {
  let svc = services.get(app);
  if (!svc) {
    const key = app.config.security.dataKey;
    svc = new IdentityService({ phoneCrypto: new PhoneCrypto(key), hasher: new IdentityHasher(key), mergeByPhone: app.config.identity.mergeByPhone, now: () => app.now() });
    services.set(app, svc);
  }
  return svc;
}
