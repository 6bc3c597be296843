import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import type { Actor } from '../tags/tags-deps';
import type { OperatorRow } from '../storage';
import { isDuplicateKeyError } from '../storage';
import { retryingTransaction } from '../storage/conflict-retry';
import { endOperatorSessions } from '../storage/operators/console-session.repository';
import {
  findOperator,
  insertOperator,
  listOperators,
  updateOperator,
  type OperatorChange,
} from '../storage/operators/operator.repository';
import { memberName } from '../storage/staff/wecom-staff.repository';
import type { OperatorChangeInput, NewOperatorInput } from './operator-input.schema';
import { OperatorError } from './operator.errors';
import type { OperatorJson } from './operators-api.types';
import { hashPassword } from './password-hash';

/**
 * Operators (DESIGN §7.1): people with a role, added by an admin (API or CLI). Disabling one ends every session
 * of theirs in the same transaction; each change is audited with who made it.
 */
export class OperatorService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: Pick<AppContext, 'ds' | 'now'>) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(): Promise<OperatorJson[]> {
    return (await listOperators(this.deps.ds)).map(operatorJson);
  }

  /** A WeCom member's name defaults to the staff directory's, else the userid. */
  async add(input: NewOperatorInput, actor: Actor): Promise<OperatorJson> {
    const ds = this.deps.ds;
    const row =
      'login' in input
        ? {
            corpId: null,
            userid: null,
            login: input.login,
            name: input.name ?? input.login,
            role: input.role,
            passwordHash: await hashPassword(input.password),
          }
        : {
            corpId: input.corpId,
            userid: input.userid,
            login: null,
            name: input.name ?? (await memberName(ds, input.corpId, input.userid)) ?? input.userid,
            role: input.role,
            passwordHash: null,
          };
    try {
      return await retryingTransaction(ds, async (em) => {
        const o = await insertOperator(em, row);
        await this.audit.write(
          {
            actor: actor.name,
            role: actor.role ?? null,
            action: 'operator.add',
            targetType: 'operator',
            targetId: o.id,
            details: {
              name: o.name,
              role: o.role,
              ...(o.login ? { login: o.login } : { corpId: o.corpId, userid: o.userid }),
            },
          },
          em,
        );
        return operatorJson(o);
      });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      throw new OperatorError(
        'OPERATOR_EXISTS',
        row.login ? `login ${row.login} is taken` : `${row.corpId}/${row.userid} is already an operator`,
      );
    }
  }

  async change(id: string, input: OperatorChangeInput, actor: Actor): Promise<OperatorJson> {
    const change: OperatorChange = {};
    if (input.name !== undefined) change.name = input.name;
    if (input.role !== undefined) change.role = input.role;
    if (input.enabled !== undefined) change.enabled = input.enabled;
    const at = new Date(this.deps.now());
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    return retryingTransaction(this.deps.ds, async (em) => {
      const before = await findOperator(em, id);
      if (!before) throw new OperatorError('OPERATOR_NOT_FOUND', `operator ${id} not found`);
      if (passwordHash !== undefined) {
        if (!before.login) throw new OperatorError('VALIDATION_FAILED', 'a WeCom operator has no password');
        change.passwordHash = passwordHash;
      }
      if (Object.keys(change).length) await updateOperator(em, id, change);
      // A disabled person or a new password: the sessions opened before end now (a role applies per request).
      const ends = change.enabled === false || change.passwordHash !== undefined;
      const ended = ends ? await endOperatorSessions(em, id, at) : 0;
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: input.enabled === false ? 'operator.disable' : 'operator.change',
          targetType: 'operator',
          targetId: id,
          details: {
            name: input.name ?? before.name,
            ...(input.role !== undefined ? { role: input.role } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
            ...(passwordHash !== undefined ? { password: 'changed' } : {}),
            ...(ends ? { sessionsEnded: ended } : {}),
          },
        },
        em,
      );
      return operatorJson((await findOperator(em, id))!);
    });
  }
}

export function operatorJson(o: OperatorRow): OperatorJson {
  return {
    id: o.id,
    kind: o.login ? 'password' : 'wecom',
    corpId: o.corpId,
    userid: o.userid,
    login: o.login,
    name: o.name,
    role: o.role,
    enabled: Boolean(o.enabled),
    lastSignInAt: o.lastSignInAt ? o.lastSignInAt.toISOString() : null,
    createdAt: o.createdAt.toISOString(),
  };
}
