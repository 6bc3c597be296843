import type {
  SidebarCustomerJson,
  SidebarJssdkConfig,
  SidebarSessionJson,
  SidebarTagChangeJson,
  SidebarTagPageJson,
  SidebarNoteJson,
  SidebarAttributeValue,
} from '@server/sidebar/sidebar-api.types';

export type {
  SidebarAttributeValue,
  SidebarConsentJson,
  SidebarFieldJson,
  SidebarNoteJson,
  SidebarCustomerJson,
  SidebarEventJson,
  SidebarFollowJson,
  SidebarGroupJson,
  SidebarJssdkConfig,
  SidebarOrderJson,
  SidebarSessionJson,
  SidebarTagGroupJson,
  SidebarTagJson,
  SidebarTagPageJson,
  SidebarTagRef,
} from '@server/sidebar/sidebar-api.types';

const API = '/sidebar/api';
/** Writes carry it (src/http/routes/sidebar.router.ts): a cross-site form cannot set a header. */
const WRITE = { 'X-Siyu-Sidebar': '1' };

/** A refusal from the gateway (`{error:{code,message}}`), or HTTP_<status> / NETWORK when it sent none. */
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

async function request<T>(path: string, init: { method?: string; body?: unknown; write?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(init.write ? WRITE : {}) };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${API}${path}`, {
      method: init.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : 'network error');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new ApiError(
      res.status,
      typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`,
      typeof err?.message === 'string' ? err.message : res.statusText,
    );
  }
  return body as T;
}

const ext = (externalUserId: string) => `/customers/${encodeURIComponent(externalUserId)}`;

export const sidebarApi = {
  session: () => request<SidebarSessionJson>('/session'),
  jssdkConfig: (pageUrl: string) => request<SidebarJssdkConfig>(`/jssdk-config?url=${encodeURIComponent(pageUrl)}`),
  customer: (externalUserId: string) => request<SidebarCustomerJson>(ext(externalUserId)),
  tags: () => request<SidebarTagPageJson>('/tags'),
  addTag: (externalUserId: string, tagId: string) =>
    request<SidebarTagChangeJson>(`${ext(externalUserId)}/tags`, {
      method: 'POST',
      body: { tagIds: [tagId] },
      write: true,
    }),
  removeTag: (externalUserId: string, tagId: string) =>
    request<SidebarTagChangeJson>(`${ext(externalUserId)}/tags/${encodeURIComponent(tagId)}`, {
      method: 'DELETE',
      write: true,
    }),
  setAttributes: (externalUserId: string, values: Record<string, SidebarAttributeValue | null>) =>
    request<Record<string, SidebarAttributeValue>>(`${ext(externalUserId)}/attributes`, {
      method: 'PATCH',
      body: values,
      write: true,
    }),
  addNote: (externalUserId: string, text: string) =>
    request<SidebarNoteJson>(`${ext(externalUserId)}/notes`, { method: 'POST', body: { text }, write: true }),
  setRemark: (externalUserId: string, body: { remark?: string; description?: string }) =>
    request<unknown>(`${ext(externalUserId)}/remark`, { method: 'PATCH', body, write: true }),
};
