import { errorAnswer } from '../../src/http/middleware/error-answer';
import { FRONT_DOOR_ERROR_STATUS, FrontDoorError } from '../../src/h5/front-door.errors';
import { HttpError } from '../../src/http/http-error';
import { IDENTITY_ERROR_STATUS, IdentityError } from '../../src/identity/identity-errors';
import { SIDEBAR_ERROR_STATUS, SidebarError } from '../../src/sidebar/sidebar.errors';
import { TAG_ERROR_STATUS, TagError, tagConflict, tagInvalid, tagNotFound } from '../../src/tags/tag-errors';
import { STORAGE_ERROR_STATUS, StorageError, storageErrorOf } from '../../src/storage/errors';
import { SYNC_ERROR_STATUS, SyncError } from '../../src/syncs/sync-errors';
import { TokenUnavailableError } from '../../src/tokens/token-errors';
import { UnknownAccountError } from '../../src/tokens/unknown-account.error';

const answered = (err: unknown) => {
  const a = errorAnswer(err);
  return [a.status, a.body.error.code, a.body.error.message];
};

describe('error answer', () => {
  it('answers every code of every module with the status its own table gives it', () => {
    const modules: Array<[Record<string, number>, (code: string) => Error]> = [
      [SYNC_ERROR_STATUS, (c) => new SyncError(c as never, 'm')],
      [TAG_ERROR_STATUS, (c) => new TagError(c as never, 'm')],
      [IDENTITY_ERROR_STATUS, (c) => new IdentityError(c as never, 'm')],
      [FRONT_DOOR_ERROR_STATUS, (c) => new FrontDoorError(c as never, 'm')],
      [SIDEBAR_ERROR_STATUS, (c) => new SidebarError(c as never, 'm')],
      [STORAGE_ERROR_STATUS, (c) => new StorageError(c as never, 'm')],
    ];
    for (const [table, make] of modules) {
      for (const [code, status] of Object.entries(table))
        expect([code, errorAnswer(make(code)).status]).toEqual([code, status]);
    }
  });

  it('answers each sync refusal with its status, code and message', () => {
    expect(answered(new SyncError('ACCOUNT_NOT_FOUND', 'no account x is configured'))).toEqual([
      404,
      'ACCOUNT_NOT_FOUND',
      'no account x is configured',
    ]);
    expect(answered(new SyncError('RESOURCE_NOT_SUPPORTED', 'r'))).toEqual([422, 'RESOURCE_NOT_SUPPORTED', 'r']);
    expect(answered(new SyncError('SYNC_RUNNING', 'running'))).toEqual([409, 'SYNC_RUNNING', 'running']);
    expect(answered(new SyncError('SYNC_NOT_FOUND', 'sync 9 not found'))).toEqual([
      404,
      'SYNC_NOT_FOUND',
      'sync 9 not found',
    ]);
  });

  it('answers tag refusals 404 / 409 / 422, the validation details included', () => {
    expect(answered(tagNotFound('tag'))).toEqual([404, 'NOT_FOUND', 'tag not found']);
    expect(answered(tagConflict('name taken'))).toEqual([409, 'CONFLICT', 'name taken']);
    expect(errorAnswer(tagInvalid('bad rule', [{ path: 'rule', message: 'x' }])).body).toEqual({
      error: { code: 'VALIDATION_FAILED', message: 'bad rule', details: [{ path: 'rule', message: 'x' }] },
    });
  });

  it('answers an unknown merge 404 and an undo that cannot apply 409', () => {
    expect(answered(new IdentityError('MERGE_NOT_FOUND', 'merge 7 not found'))).toEqual([
      404,
      'MERGE_NOT_FOUND',
      'merge 7 not found',
    ]);
    for (const code of ['ALREADY_UNDONE', 'LATER_MERGE_DEPENDS', 'MERGE_STATE_CHANGED'] as const)
      expect(answered(new IdentityError(code, 'no'))).toEqual([409, code, 'no']);
  });

  it('answers front-door and sidebar refusals with their table’s status; WeChat failing is 502 with its reason, never 500', () => {
    expect(answered(new FrontDoorError('INVALID_CODE', 'the code is used'))).toEqual([
      400,
      'INVALID_CODE',
      'the code is used',
    ]);
    expect(answered(new FrontDoorError('SESSION_EXPIRED', 'log in again'))).toEqual([
      401,
      'SESSION_EXPIRED',
      'log in again',
    ]);
    expect(answered(new FrontDoorError('RATE_LIMITED', 'later'))).toEqual([429, 'RATE_LIMITED', 'later']);
    expect(answered(new FrontDoorError('WECHAT_UNAVAILABLE', 'WeChat could not complete the login'))).toEqual([
      502,
      'WECHAT_UNAVAILABLE',
      'WeChat could not complete the login',
    ]);
    expect(answered(new SidebarError('NOT_YOUR_CUSTOMER', 'not yours'))).toEqual([
      403,
      'NOT_YOUR_CUSTOMER',
      'not yours',
    ]);
    expect(answered(new SidebarError('CORP_REQUIRED', 'corp?'))).toEqual([400, 'CORP_REQUIRED', 'corp?']);
  });

  it('answers an account nobody configured with 404, not 500', () => {
    expect(answered(new UnknownAccountError('wecom', 'ww-nope'))).toEqual([
      404,
      'ACCOUNT_NOT_FOUND',
      'no wecom account ww-nope is configured',
    ]);
  });

  it('answers a busy or unreachable database and a token being refreshed with 503 and Retry-After, message generic', () => {
    for (const err of [
      new StorageError('DB_BUSY', 'locked'),
      new StorageError('DB_UNAVAILABLE', 'ECONNREFUSED'),
      new TokenUnavailableError('oa1', 'oa_access_token', 'stable', 'refreshing'),
    ]) {
      const a = errorAnswer(err);
      expect([a.status, a.retryAfter, a.body]).toEqual([
        503,
        1,
        { error: { code: err.code, message: 'temporarily unavailable, retry shortly' } },
      ]);
    }
  });

  it('hides a storage failure that is never the request’s fault behind 500 INTERNAL', () => {
    expect(answered(new StorageError('MIGRATION_FAILED', 'lock not acquired'))).toEqual([
      500,
      'INTERNAL',
      'internal error',
    ]);
    expect(errorAnswer(new StorageError('MIGRATION_FAILED', 'x')).log).toBe('error');
  });

  it('keeps an edge refusal’s own status and details', () => {
    const a = errorAnswer(new HttpError(422, 'VALIDATION_FAILED', 'bad body', [{ path: 'name', message: 'required' }]));
    expect([a.status, a.body, a.log]).toEqual([
      422,
      { error: { code: 'VALIDATION_FAILED', message: 'bad body', details: [{ path: 'name', message: 'required' }] } },
      'none',
    ]);
  });

  it('answers koa’s own client errors with their 4xx and anything else with 500, never the error text', () => {
    expect(answered(Object.assign(new Error('request entity too large'), { status: 413, expose: true }))).toEqual([
      413,
      'PAYLOAD_TOO_LARGE',
      'request entity too large',
    ]);
    expect(answered(Object.assign(new Error('secret detail'), { status: 400, expose: false }))).toEqual([
      400,
      'BAD_REQUEST',
      'bad request',
    ]);
    expect(answered(new TypeError('secret detail'))).toEqual([500, 'INTERNAL', 'internal error']);
  });

  it('reads the drivers’ busy and unreachable failures as storage errors, wrapped by TypeORM or not', () => {
    const wrapped = (driverError: object) => Object.assign(new Error('query failed'), { driverError });
    expect(storageErrorOf(wrapped({ code: 'SQLITE_BUSY' }))?.code).toBe('DB_BUSY');
    expect(storageErrorOf(wrapped({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }))?.code).toBe('DB_BUSY');
    expect(storageErrorOf(wrapped({ code: 'ER_LOCK_DEADLOCK', errno: 1213 }))?.code).toBe('DB_BUSY');
    expect(storageErrorOf(wrapped({ code: 'ECONNREFUSED' }))?.code).toBe('DB_UNAVAILABLE');
    expect(
      storageErrorOf(Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }))?.code,
    ).toBe('DB_UNAVAILABLE');
    expect(
      storageErrorOf(Object.assign(new Error('too many'), { code: 'ER_CON_COUNT_ERROR', errno: 1040 }))?.code,
    ).toBe('DB_UNAVAILABLE');
    expect(answered(wrapped({ code: 'SQLITE_BUSY' }))).toEqual([
      503,
      'DB_BUSY',
      'temporarily unavailable, retry shortly',
    ]);
  });

  it('leaves other failures alone: a constraint is a bug to log, an outbound call’s refused socket is not the database', () => {
    expect(
      storageErrorOf(Object.assign(new Error('dup'), { driverError: { code: 'ER_DUP_ENTRY', errno: 1062 } })),
    ).toBeUndefined();
    expect(
      storageErrorOf(Object.assign(new Error('dup'), { driverError: { code: 'SQLITE_CONSTRAINT_UNIQUE' } })),
    ).toBeUndefined();
    expect(storageErrorOf(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(storageErrorOf(null)).toBeUndefined();
  });
});
