// @ts-check
import { ApiError, requestJson } from './http.js';
import { apiKey } from './session.js';

/** @type {(err: ApiError) => void} */
let onUnauthorized = () => {};

/** The app sends every 401 back to sign-in, wherever it happened. @param {(err: ApiError) => void} fn */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/**
 * `/api/v1` with the session's key. A 401 is reported to the app (which signs out) and still thrown, so the
 * caller's own error handling stops what it was doing.
 * @param {string} path below /api/v1, e.g. `/customers?q=a`
 * @param {{ method?: string, body?: unknown }} [init]
 * @returns {Promise<any>}
 */
export async function api(path, init = {}) {
  const key = apiKey();
  if (!key) {
    const err = new ApiError(401, 'UNAUTHORIZED', 'not signed in');
    onUnauthorized(err);
    throw err;
  }
  try {
    return await requestJson(`/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${key}` } });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) onUnauthorized(e);
    throw e;
  }
}

/**
 * A query string from the non-empty values (`?a=1&b=x`, or '' when all are empty).
 * @param {Record<string, string | number | null | undefined>} params
 */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export { ApiError };
