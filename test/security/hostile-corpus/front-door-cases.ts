import type { CorpusContext, HostileCase, HttpCase } from './corpus-types';
import { hostileJson, WRONG_ROOTS } from './hostile-documents';

/**
 * Hostile requests to the H5 / Mini Program front doors and `/track` (DESIGN §8.2, §11): JSON bombs in every
 * body, wrong content types, forged or missing visitor tokens, and the nesting the timeline would otherwise
 * stringify. Every one is refused before anything is written.
 */
function json(name: string, path: string, body: string | Buffer, headers: Record<string, string> = {}): HttpCase {
  return {
    kind: 'http',
    name,
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  };
}

function trackEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'ev-1', type: 'page_view', occurredAt: new Date().toISOString(), properties: {}, ...over };
}

function nestedObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

export function frontDoorCases(ctx: CorpusContext): HostileCase[] {
  const { world, mpToken } = ctx;
  const bearer = { authorization: `Bearer ${mpToken}` };
  const login = `/mp/${world.loginAppId}/login`;
  const phone = `/mp/${world.loginAppId}/phone`;
  const cases: HostileCase[] = [];

  // Mini Program login and phone: `{code}` bodies.
  const codeWrap = (inner: string) => `{"code":${inner}}`;
  for (const d of [...hostileJson(codeWrap), ...WRONG_ROOTS]) cases.push(json(`MP login: ${d.name}`, login, d.body));
  for (const d of hostileJson(codeWrap).slice(0, 8)) cases.push(json(`MP phone: ${d.name}`, phone, d.body, bearer));
  cases.push(
    json('MP login: code of 10 KB', login, JSON.stringify({ code: 'c'.repeat(10_000) })),
    json('MP login: code that WeChat does not know', login, JSON.stringify({ code: 'not-a-real-code' })),
    json('MP login: unknown appid', '/mp/wxDoesNotExist0000/login', JSON.stringify({ code: 'x' })),
    {
      kind: 'http',
      name: 'MP login: form-encoded body',
      method: 'POST',
      path: login,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=abc',
    },
    {
      kind: 'http',
      name: 'MP login: XML body',
      method: 'POST',
      path: login,
      headers: { 'content-type': 'text/xml' },
      body: '<xml><code>abc</code></xml>',
    },
    json('MP phone: no token', phone, JSON.stringify({ code: 'x' })),
    json('MP phone: forged token', phone, JSON.stringify({ code: 'x' }), {
      authorization: `Bearer ${mpToken.slice(0, -4)}AAAA`,
    }),
    json('MP phone: token of 20 KB', phone, JSON.stringify({ code: 'x' }), {
      authorization: `Bearer ${'a'.repeat(7000)}.${'b'.repeat(7000)}`,
    }),
    json('MP phone: Basic authorization', phone, JSON.stringify({ code: 'x' }), { authorization: 'Basic YTpi' }),
    json('MP phone: code that WeChat does not know', phone, JSON.stringify({ code: 'not-a-real-code' }), bearer),
  );

  // /track: the body bounds, then the schema.
  const trackWrap = (inner: string) =>
    `{"events":[{"id":"ev-1","type":"page_view","occurredAt":${inner},"properties":{}}]}`;
  for (const d of [...hostileJson(trackWrap), ...WRONG_ROOTS])
    cases.push(json(`track: ${d.name}`, '/track', d.body, bearer));
  cases.push(
    json(
      'track: properties nested 20,000 deep',
      '/track',
      `{"events":[{"id":"ev-1","type":"page_view","occurredAt":"${new Date().toISOString()}","properties":${nestedObject(20_000)}}]}`,
      bearer,
    ),
    json(
      'track: properties arrays nested 100,000 deep',
      '/track',
      `{"events":[{"id":"ev-1","type":"page_view","occurredAt":"${new Date().toISOString()}","properties":{"p":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`,
      bearer,
    ),
    json(
      'track: properties nested 6 deep',
      '/track',
      JSON.stringify({ events: [trackEvent({ properties: JSON.parse(nestedObject(6)) as unknown })] }),
      bearer,
    ),
    json(
      'track: properties of 5 KB',
      '/track',
      JSON.stringify({ events: [trackEvent({ properties: { p: 'x'.repeat(5000) } })] }),
      bearer,
    ),
    json(
      'track: 101 events',
      '/track',
      JSON.stringify({ events: Array.from({ length: 101 }, (_, i) => trackEvent({ id: `e${i}` })) }),
      bearer,
    ),
    json(
      'track: body over 512 KiB',
      '/track',
      JSON.stringify({ events: [trackEvent({ properties: { p: 'x'.repeat(600 * 1024) } })] }),
      bearer,
    ),
    json('track: event id with spaces', '/track', JSON.stringify({ events: [trackEvent({ id: 'a b' })] }), bearer),
    json(
      'track: type of 200 characters',
      '/track',
      JSON.stringify({ events: [trackEvent({ type: 't'.repeat(200) })] }),
      bearer,
    ),
    json(
      'track: occurredAt far in the future',
      '/track',
      JSON.stringify({ events: [trackEvent({ occurredAt: '2999-01-01T00:00:00Z' })] }),
      bearer,
    ),
    json(
      'track: occurredAt past the Date range',
      '/track',
      JSON.stringify({ events: [trackEvent({ occurredAt: 8.64e15 + 1 })] }),
      bearer,
    ),
    json(
      'track: property key of 100 characters',
      '/track',
      JSON.stringify({ events: [trackEvent({ properties: { ['k'.repeat(100)]: 1 } })] }),
      bearer,
    ),
    json('track: unknown top-level field', '/track', JSON.stringify({ events: [trackEvent()], admin: true }), bearer),
    json('track: no token', '/track', JSON.stringify({ events: [trackEvent()] })),
    json('track: forged token', '/track', JSON.stringify({ events: [trackEvent()] }), {
      authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    }),
    json('track: token in a cookie that is not a token', '/track', JSON.stringify({ events: [trackEvent()] }), {
      cookie: 'siyu_h5=%00%ff',
    }),
    {
      kind: 'http',
      name: 'track: text/plain body',
      method: 'POST',
      path: '/track',
      headers: { 'content-type': 'text/plain', ...bearer },
      body: JSON.stringify({ events: [trackEvent()] }),
    },
    {
      kind: 'http',
      name: 'track: multipart body',
      method: 'POST',
      path: '/track',
      headers: { 'content-type': 'multipart/form-data; boundary=x', ...bearer },
      body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
    },
  );

  // H5 OAuth and JS-SDK: query strings only.
  const h5 = world.h5AppId;
  const get = (name: string, path: string, headers: Record<string, string> = {}): HttpCase => ({
    kind: 'http',
    name: `H5: ${name}`,
    method: 'GET',
    path,
    headers,
  });
  cases.push(
    get('login without redirect', `/h5/${h5}/login`),
    get(
      'login redirect to a foreign site',
      `/h5/${h5}/login?redirect=${encodeURIComponent('https://evil.example/steal')}`,
    ),
    get('login redirect to javascript:', `/h5/${h5}/login?redirect=${encodeURIComponent('javascript:alert(1)')}`),
    get('login redirect protocol-relative', `/h5/${h5}/login?redirect=${encodeURIComponent('//evil.example/')}`),
    get(
      'login redirect of 8 KB',
      `/h5/${h5}/login?redirect=${encodeURIComponent(`https://shop.example.com/${'a'.repeat(8000)}`)}`,
    ),
    get(
      'login with an unknown scope',
      `/h5/${h5}/login?redirect=${encodeURIComponent('https://shop.example.com/')}&scope=snsapi_everything`,
    ),
    get(
      'login with the redirect given twice',
      `/h5/${h5}/login?redirect=${encodeURIComponent('https://shop.example.com/')}&redirect=${encodeURIComponent('https://evil.example/')}`,
    ),
    get(
      'login for an unknown appid',
      `/h5/wxDoesNotExist0000/login?redirect=${encodeURIComponent('https://shop.example.com/')}`,
    ),
    get('callback without code or state', `/h5/${h5}/oauth/callback`),
    get('callback with a state and no state cookie', `/h5/${h5}/oauth/callback?code=abc&state=${'0'.repeat(32)}`),
    get('callback with a forged state cookie', `/h5/${h5}/oauth/callback?code=abc&state=${'0'.repeat(32)}`, {
      cookie: `siyu_oauth_${'0'.repeat(32)}=forged.value`,
    }),
    get('callback with a state of 5 KB', `/h5/${h5}/oauth/callback?code=abc&state=${'s'.repeat(5000)}`),
    get('callback with the code given twice', `/h5/${h5}/oauth/callback?code=a&code=b&state=${'0'.repeat(32)}`),
    get('jssdk-config without url', `/h5/${h5}/jssdk-config`),
    get(
      'jssdk-config for a foreign page',
      `/h5/${h5}/jssdk-config?url=${encodeURIComponent('https://evil.example/page')}`,
    ),
    get(
      'jssdk-config for a javascript: url',
      `/h5/${h5}/jssdk-config?url=${encodeURIComponent('javascript:alert(1)')}`,
    ),
    get(
      'jssdk-config with a url of 8 KB',
      `/h5/${h5}/jssdk-config?url=${encodeURIComponent(`https://evil.example/${'a'.repeat(8000)}`)}`,
    ),
    get('session without a cookie', `/h5/${h5}/session`),
    get('session with a forged cookie', `/h5/${h5}/session`, { cookie: 'siyu_h5=eyJ4IjoxfQ.AAAA' }),
    get('session with the MP token of another channel', `/h5/${h5}/session`, bearer),
  );
  return cases;
}
