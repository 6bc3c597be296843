import { ruleFor, wechatError, type ErrcodeTable } from '../../../../connectors/common/http/errcode-table';
import { H5_ERRCODES } from '../../../../connectors/h5/errors';
import { MINI_PROGRAM_ERRCODES } from '../../../../connectors/mini-program/errors';
import { OFFICIAL_ACCOUNT_ERRCODES } from '../../../../connectors/official-account/errors';
import { WECOM_ERRCODES } from '../../../../connectors/wecom/errors';
import { classifyFailure } from '../../../../src/tags/outbox/push-errors';

const categoryOf = (table: ErrcodeTable, errcode: number) => ruleFor(table, errcode).category;

describe('errcode categories (what the core branches on)', () => {
  it('Official Account: an openid gone, a user at 20 tags, a tag gone, a duplicate name, quotas and tokens', () => {
    expect([40003, 49003, 45059, 45159, 45157, 45056].map((c) => categoryOf(OFFICIAL_ACCOUNT_ERRCODES, c))).toEqual([
      'SUBJECT_GONE',
      'SUBJECT_GONE',
      'SUBJECT_REFUSED',
      'TAG_GONE',
      'CONFLICT',
      'LIMIT_EXCEEDED',
    ]);
    expect([-1, 45009, 45011, 45033, 40001, 42001].map((c) => categoryOf(OFFICIAL_ACCOUNT_ERRCODES, c))).toEqual([
      'TEMPORARY',
      'RATE_LIMITED',
      'RATE_LIMITED',
      'RATE_LIMITED',
      'TOKEN_EXPIRED',
      'TOKEN_EXPIRED',
    ]);
  });

  it('WeCom: a relation gone, a corp tag gone, a stale cursor, a taken name, a list too wide; a member or group unknown stays NOT_FOUND', () => {
    expect([84061, 40096, 40068, 50100, 40071, 40126].map((c) => categoryOf(WECOM_ERRCODES, c))).toEqual([
      'RELATION_GONE',
      'RELATION_GONE',
      'TAG_GONE',
      'CURSOR_EXPIRED',
      'CONFLICT',
      'LIMIT_EXCEEDED',
    ]);
    expect([60111, 40003, 48002, 45009, 45033].map((c) => categoryOf(WECOM_ERRCODES, c))).toEqual([
      'NOT_FOUND',
      'NOT_FOUND',
      'PERMISSION_DENIED',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    expect([81017, 40050, 49008].map((c) => categoryOf(WECOM_ERRCODES, c))).toEqual([
      'FILTER_REQUIRED',
      'NOT_FOUND',
      'NOT_FOUND',
    ]);
  });

  it('keeps the OA-only meanings out of the Mini Program and H5 tables', () => {
    expect(categoryOf(MINI_PROGRAM_ERRCODES, 40003)).toBe('NOT_FOUND');
    expect(categoryOf(H5_ERRCODES, 40003)).toBe('NOT_FOUND');
    expect(categoryOf(H5_ERRCODES, 42001)).toBe('INVALID_CODE');
    expect(categoryOf(OFFICIAL_ACCOUNT_ERRCODES, 987654)).toBe('UNKNOWN');
  });
});

describe('outbox push failures, from the tables', () => {
  const oa = (errcode: number) =>
    classifyFailure(wechatError(OFFICIAL_ACCOUNT_ERRCODES, 'tags/members/batchtagging', errcode, 'x'));
  const wecom = (errcode: number) =>
    classifyFailure(wechatError(WECOM_ERRCODES, 'externalcontact/mark_tag', errcode, 'x'));

  it('retries temporary failures, rate limits and token errors; WeChat refusing the subject, tag or relation is permanent', () => {
    expect(
      [oa(-1), oa(45009), oa(45011), oa(45033), oa(42001), wecom(45009), wecom(45033)].map((f) => f.permanent),
    ).toEqual([false, false, false, false, false, false, false]);
    expect(
      [oa(45059), oa(40003), oa(45159), oa(45056), wecom(84061), wecom(40068), wecom(48002), oa(987654)].map(
        (f) => f.permanent,
      ),
    ).toEqual([true, true, true, true, true, true, true, true]);
  });

  it('blocks the whole account for a quota window (a minute or a day), not for a concurrency limit', () => {
    expect([oa(45009), oa(45011), wecom(45009)].map((f) => [f.blocksAccount, f.retryAfterMs])).toEqual([
      [true, 86_400_000],
      [true, 60_000],
      [true, 60_000],
    ]);
    expect([oa(45033), wecom(45033), oa(-1)].map((f) => f.blocksAccount)).toEqual([false, false, false]);
  });
});
