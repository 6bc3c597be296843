/** One error shape for every failed call: the gateway's `{error:{code,message}}`, else the HTTP status or NETWORK. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Unauthorized = (err: ApiError) => void;
let onUnauthorized: Unauthorized = () => undefined;
let keyOf: () => string | null = () => null;

/** The app signs out on any 401, wherever it happened; the key comes from the session (session.ts). */
export function configureApi(opts: { key: () => string | null; unauthorized: Unauthorized }): void {
  keyOf = opts.key;
  onUnauthorized = opts.unauthorized;
}

function errorOf(status: number, body: unknown, fallback: string): ApiError {
  const err = body && typeof body === 'object' && 'error' in body ? (body as { error: unknown }).error : undefined;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    return new ApiError(status, String(e.code ?? `HTTP_${status}`), String(e.message ?? fallback));
  }
  return new ApiError(status, `HTTP_${status}`, fallback);
}

/**
 * `/api/v1<path>` with the session's API key in the Authorization header only (never in a URL). A 401 is
 * reported to the app and still thrown, so the caller stops what it was doing.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const key = keyOf();
  if (!key) {
    const err = new ApiError(401, 'UNAUTHORIZED', 'not signed in');
    onUnauthorized(err);
    throw err;
  }
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${key}` };
  const options: RequestInit = { method: init.method ?? 'GET', headers, credentials: 'same-origin' };
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    options.body = JSON.stringify(init.body);
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, options);
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : 'network error');
  }
  const text = res.status === 204 ? '' : await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = errorOf(res.status, body, res.statusText || 'request failed');
    if (res.status === 401) onUnauthorized(err);
    throw err;
  }
  return body as T;
}

/** A binary answer (an image to download) with the session's key, as a Blob; failures as `api` throws them. */
export async function apiBlob(path: string): Promise<Blob> {
  const key = keyOf();
  if (!key) {
    const err = new ApiError(401, 'UNAUTHORIZED', 'not signed in');
    onUnauthorized(err);
    throw err;
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${key}` }, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : 'network error');
  }
  if (!res.ok) {
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const err = errorOf(res.status, body, res.statusText || 'request failed');
    if (res.status === 401) onUnauthorized(err);
    throw err;
  }
  return res.blob();
}

/** A query string from the non-empty values (`?a=1&b=x`, or '' when all are empty). */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** Whether a call failed only because the endpoint is not there (an older gateway): the screen hides that part. */
export function isMissing(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404;
}
