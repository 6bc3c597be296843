// @ts-check
/**
 * JSON over fetch for the browser pages (console, sidebar): one error shape for every failure, the gateway's
 * `{error:{code,message}}` when it sent one, else the HTTP status or the network failure. Each page gets it as
 * `/<page>/assets/http.js` (src/http/web-assets.ts serves web/shared/ under every page).
 */

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the request never got an answer)
   * @param {string} code the gateway's error code, or HTTP_<status> / NETWORK
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * @param {string} url
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string> }} [init]
 * @returns {Promise<any>} the parsed JSON body (undefined for 204)
 */
export async function requestJson(url, init = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json', ...(init.headers ?? {}) };
  /** @type {RequestInit} */
  const options = { method: init.method ?? 'GET', headers, credentials: 'same-origin' };
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    options.body = JSON.stringify(init.body);
  }
  let res;
  try {
    res = await fetch(url, options);
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : 'network error');
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  /** @type {any} */
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err =
      body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : undefined;
    throw new ApiError(
      res.status,
      String(err?.code ?? `HTTP_${res.status}`),
      String(err?.message ?? (res.statusText || 'request failed')),
    );
  }
  return body;
}
