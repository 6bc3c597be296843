/**
 * `server.allowedOrigins` (DESIGN §7): where an H5 login may send the browser back to and which pages
 * may ask for JS-SDK config or post behaviour. Compared as WHATWG URL origins (scheme, host, port), so
 * `https://shop.example.com@evil.example`, `https://shop.example.com.evil.example` and `javascript:` URLs are
 * all other origins; URLs carrying credentials are refused outright.
 */
export class OriginAllowList {
  private readonly origins: ReadonlySet<string>;

  constructor(allowed: readonly string[]) {
    const origins = new Set<string>();
    for (const a of allowed) {
      const u = parseHttpUrl(a);
      if (u) origins.add(u.origin);
    }
    this.origins = origins;
  }

  /** The parsed URL when it is an absolute http(s) URL on an allowed origin, else undefined. */
  allowedUrl(raw: unknown): URL | undefined {
    if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return undefined;
    const u = parseHttpUrl(raw);
    if (!u || u.username !== '' || u.password !== '') return undefined;
    return this.origins.has(u.origin) ? u : undefined;
  }

  /** For CORS: an `Origin` header value that is on the list. */
  allowsOrigin(origin: string | undefined): boolean {
    return origin !== undefined && origin !== '' && this.origins.has(origin);
  }
}

function parseHttpUrl(raw: string): URL | undefined {
  // Backslashes and control characters are read differently by browsers and servers: refuse them.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  if (/[\\\u0000-\u001f\u007f\s]/u.test(raw)) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
}
