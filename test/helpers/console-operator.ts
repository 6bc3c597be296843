import type { Role } from '../../src/auth/roles';
import type { Services } from '../../src/services';
import { CONSOLE_COOKIE } from '../../src/operators/console-session.service';

export interface SignedInOperator {
  id: string;
  name: string;
  /** The `siyu_console` cookie value of a fresh session. */
  cookie: string;
}

let seq = 0;

/**
 * An operator with `role` and an open console session, as a person gets by signing in (for tests that are not
 * about signing in): a password account made through the operators service, a session through the session service.
 */
export async function createOperatorSession(
  app: Services,
  role: Role,
  name = `测试${role}`,
): Promise<SignedInOperator> {
  const login = `test-${role}-${process.pid}-${++seq}`;
  const o = await app.operators.accounts.add(
    { login, password: `pw-${login}-long-enough`, role, name },
    { name: 'test', role: 'admin' },
  );
  return { id: o.id, name: o.name, cookie: await app.operators.sessions.open(o.id, 'test') };
}

/** The console cookie for a browser context (playwright `addCookies`) on the app at `url`. */
export function consoleCookie(
  url: string,
  cookie: string,
): { name: string; value: string; url: string; httpOnly: boolean; sameSite: 'Lax' } {
  return { name: CONSOLE_COOKIE, value: cookie, url, httpOnly: true, sameSite: 'Lax' };
}
