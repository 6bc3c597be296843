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

/** The app goes back to sign-in on any 401, wherever it happened. */
export function configureApi(opts: { unauthorized: Unauthorized }): void {
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
 * `/api/v1<path>` carried by the session cookie (same origin only). A 401 is reported to the app and still
 * thrown, so the caller stops what it was doing.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return send<T>(`/api/v1${path}`, init, true);
}

/** A sign-in route of the gateway (`/auth/...`, `/console/login`): a 401 there is an answer, not a lost session. */
export async function auth<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return send<T>(url, init, false);
}

async function send<T>(url: string, init: { method?: string; body?: unknown }, session: boolean): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const options: RequestInit = { method: init.method ?? 'GET', headers, credentials: 'same-origin' };
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    options.body = JSON.stringify(init.body);
  }
  let res: Response;
  try {
    res = await fetch(url, options);
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
    if (session && res.status === 401) onUnauthorized(err);
    throw err;
  }
  return body as T;
}

/** A binary answer (an image to download) on the session, as a Blob; failures as `api` throws them. */
export async function apiBlob(path: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { credentials: 'same-origin' });
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
