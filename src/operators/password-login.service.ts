import type { AppContext } from '../app-context';
import {
  addLoginFailure,
  clearLoginFailures,
  findLoginFailures,
  lockLogin,
} from '../storage/operators/login-failure.repository';
import { findOperatorByLogin } from '../storage/operators/operator.repository';
import { OperatorError } from './operator.errors';
import { verifyPassword } from './password-hash';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

/**
 * `login` + password sign-in (DESIGN §7.1). An unknown login, a disabled account and a wrong password all answer
 * BAD_CREDENTIALS after the same scrypt work, and all count towards the lock: 5 failures of a login in 15
 * minutes lock it for 15 minutes (429), known or not, so neither the answer nor the lock tells which logins exist.
 */
export class PasswordLoginService {
  constructor(private readonly deps: Pick<AppContext, 'ds' | 'now'>) {}

  /** The operator id when the password is right; throws BAD_CREDENTIALS or LOGIN_LOCKED. */
  async verify(body: unknown): Promise<string> {
    const { login, password } = credentialsOf(body);
    const key = login.toLowerCase();
    const ds = this.deps.ds;
    const now = this.deps.now();
    const failures = await findLoginFailures(ds, key);
    if (failures?.lockedUntil && failures.lockedUntil.getTime() > now)
      throw locked(failures.lockedUntil.getTime() - now);
    const operator = await findOperatorByLogin(ds, login);
    const ok = await verifyPassword(password, operator?.passwordHash ?? null);
    if (ok && operator?.enabled) {
      if (failures) await clearLoginFailures(ds, key);
      return operator.id;
    }
    const count = await addLoginFailure(ds, key, new Date(now), new Date(now - FAILURE_WINDOW_MS));
    if (count >= MAX_FAILURES) {
      await lockLogin(ds, key, new Date(now + LOCK_MS));
      throw locked(LOCK_MS);
    }
    throw new OperatorError('BAD_CREDENTIALS', 'wrong login or password');
  }
}

function locked(ms: number): OperatorError {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return new OperatorError(
    'LOGIN_LOCKED',
    `too many failed sign-ins for this login; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
    { retryAfterSeconds: Math.ceil(ms / 1000) },
  );
}

function credentialsOf(body: unknown): { login: string; password: string } {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const { login, password } = b;
  if (typeof login !== 'string' || typeof password !== 'string' || !login || !password)
    throw new OperatorError('BAD_CREDENTIALS', 'wrong login or password');
  if (login.length > 64 || password.length > 256) throw new OperatorError('BAD_CREDENTIALS', 'wrong login or password');
  return { login, password };
}
