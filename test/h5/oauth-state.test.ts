import { SessionTokens } from '../../src/auth/session-token';
import { OauthStates, OAUTH_STATE_TTL_SECONDS } from '../../src/h5/oauth-state';
import { errorAnswer } from '../../src/http/middleware/error-answer';
import { createTestDatabase } from '../helpers/test-db';

/** The status and code the error middleware answers a refusal with. */
const answerOf = (e: unknown) => {
  const a = errorAnswer(e);
  return [a.status, a.body.error.code];
};

describe('OauthStates', () => {
  let nowMs = Date.UTC(2025, 0, 1);
  const now = () => nowMs;
  const tokens = new SessionTokens('oauth-state-test-secret', now);
  const states = new OauthStates(tokens, now);

  it("refuses a state without its cookie, with another login's cookie, or for another app", async () => {
    const a = states.issue('wxA', 'https://shop.example.com/a', 'snsapi_base');
    const b = states.issue('wxA', 'https://shop.example.com/b', 'snsapi_base');
    expect(answerOf(await states.consume('wxA', a.state, undefined).catch((e: unknown) => e))).toEqual([
      400,
      'INVALID_STATE',
    ]);
    await expect(states.consume('wxA', a.state, b.cookieValue)).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
    await expect(states.consume('wxB', a.state, a.cookieValue)).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
    await expect(states.consume('wxA', 'ABC', a.cookieValue)).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
    await expect(states.consume('wxA', ['x'], a.cookieValue)).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
  });

  it('issues a WeChat-compatible state with a cookie scoped to the callback, usable once', async () => {
    const s = states.issue('wx/odd id', 'https://shop.example.com/x?y=1', 'snsapi_userinfo');
    expect(s.state).toMatch(/^[0-9a-f]{32}$/);
    expect(s.cookieName).toBe(`siyu_oauth_${s.state}`);
    expect(s.cookiePath).toBe('/h5/wx%2Fodd%20id/oauth/callback');
    expect(s.maxAgeSeconds).toBe(OAUTH_STATE_TTL_SECONDS);
    expect(await states.consume('wx/odd id', s.state, s.cookieValue)).toEqual({
      st: s.state,
      app: 'wx/odd id',
      r: 'https://shop.example.com/x?y=1',
      sc: 'snsapi_userinfo',
    });
    await expect(states.consume('wx/odd id', s.state, s.cookieValue)).rejects.toThrow(/already used/);
  });

  it('expires after the TTL', async () => {
    const s = states.issue('wxA', 'https://shop.example.com/', 'snsapi_base');
    nowMs += OAUTH_STATE_TTL_SECONDS * 1000;
    await expect(states.consume('wxA', s.state, s.cookieValue)).rejects.toThrow(/expired/);
  });

  it('keeps its memory of used states bounded under a flood of logins', async () => {
    const flood = new OauthStates(tokens, now, 1000);
    for (let i = 0; i < 1050; i++) {
      const s = flood.issue('wxA', 'https://shop.example.com/', 'snsapi_base');
      await flood.consume('wxA', s.state, s.cookieValue);
    }
    expect((flood as unknown as { consumed: Map<string, number> }).consumed.size).toBeLessThanOrEqual(1000);
  });

  it('is single use across instances sharing one database', async () => {
    const db = await createTestDatabase();
    try {
      const one = new OauthStates(tokens, now, 1000, db.ds);
      const two = new OauthStates(tokens, now, 1000, db.ds);
      const s = one.issue('wxA', 'https://shop.example.com/', 'snsapi_base');
      expect((await two.consume('wxA', s.state, s.cookieValue)).st).toBe(s.state);
      await expect(one.consume('wxA', s.state, s.cookieValue)).rejects.toThrow(/already used/);
    } finally {
      await db.drop();
    }
  });
});
