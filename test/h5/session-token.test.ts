import { SessionTokens } from '../../src/auth/session-token';

describe('SessionTokens', () => {
  let nowMs = Date.UTC(2025, 0, 1);
  const tokens = new SessionTokens('a-session-secret-for-tests', () => nowMs);

  it('rejects a token whose payload was changed (signature check)', () => {
    const t = tokens.sign('visitor', { sub: 'alice' }, 60);
    const [payload, sig] = t.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'mallory' }),
    ).toString('base64url');
    expect(() => tokens.verify('visitor', `${forged}.${sig}`)).toThrow(
      expect.objectContaining({ code: 'TOKEN_BAD_SIGNATURE' }),
    );
  });

  it('round-trips claims with iat/exp', () => {
    const t = tokens.sign('visitor', { sub: 'alice', n: 1 }, 60);
    expect(tokens.verify<{ sub: string; n: number }>('visitor', t)).toEqual({
      sub: 'alice',
      n: 1,
      iat: nowMs / 1000,
      exp: nowMs / 1000 + 60,
    });
  });

  it('a token of one purpose never verifies as another, nor under another secret', () => {
    const state = tokens.sign('oauth-state', { sub: 'alice' }, 60);
    expect(() => tokens.verify('visitor', state)).toThrow(expect.objectContaining({ code: 'TOKEN_BAD_SIGNATURE' }));
    const other = new SessionTokens('another-secret-entirely', () => nowMs);
    expect(() => other.verify('oauth-state', state)).toThrow(expect.objectContaining({ code: 'TOKEN_BAD_SIGNATURE' }));
  });

  it('expires exactly at exp', () => {
    const t = tokens.sign('visitor', { sub: 'alice' }, 60);
    nowMs += 59_999;
    expect(tokens.verify('visitor', t)).toMatchObject({ sub: 'alice' });
    nowMs += 1;
    expect(() => tokens.verify('visitor', t)).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });

  it('refuses malformed input without throwing anything but SessionTokenError', () => {
    for (const bad of [
      '',
      'abc',
      'a.b.c',
      '.sig',
      'x'.repeat(5000),
      `${Buffer.from('[1]').toString('base64url')}.AAAA`,
    ]) {
      expect(() => tokens.verify('visitor', bad)).toThrow(expect.objectContaining({ name: 'SessionTokenError' }));
    }
    const unsigned = Buffer.from('not json').toString('base64url');
    const signer = new SessionTokens('a-session-secret-for-tests', () => nowMs);
    const good = signer.sign('visitor', {}, 10);
    expect(() => tokens.verify('visitor', `${unsigned}.${good.split('.')[1]}`)).toThrow(
      expect.objectContaining({ code: 'TOKEN_BAD_SIGNATURE' }),
    );
  });

  it('refuses a non-positive lifetime and an empty secret', () => {
    expect(() => tokens.sign('visitor', {}, 0)).toThrow(RangeError);
    expect(() => new SessionTokens('')).toThrow(RangeError);
  });
});
