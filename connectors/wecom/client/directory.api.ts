import type { TokenSource } from '../../common/http/token-source';
import type { WechatHttpClient } from '../../common/http/wechat-http-client';
import type { DepartmentWire, ListIdPage, MemberWire } from '../client-types';

/** user/list_id: up to 10,000 (member, department) rows per page (wechat-api-wecom-ops.md §6.1). */
export const LIST_ID_MAX_LIMIT = 10_000;

export interface DirectoryTokens {
  contact: TokenSource;
  agent?: TokenSource;
  /** 通讯录同步: the only secret list_id accepts. */
  directory?: TokenSource;
}

/**
 * The staff directory (wechat-api-wecom-ops.md §6). Each call uses the widest secret configured: contact sync,
 * else the sidebar's self-built app (its visible range; names included), else the customer-contact secret.
 * A secret that may not read something gets 48002 / 60011 (PERMISSION_DENIED), which callers treat as "not
 * visible", never as a failure of the whole read.
 */
export class WecomDirectoryApi {
  constructor(
    private readonly http: WechatHttpClient,
    private readonly tokens: DirectoryTokens,
  ) {}

  /** Whether a contact-sync secret is configured, so list_id can answer with the whole corp. */
  get hasDirectorySecret(): boolean {
    return this.tokens.directory !== undefined;
  }

  private get token(): TokenSource {
    return this.tokens.directory ?? this.tokens.agent ?? this.tokens.contact;
  }

  /** One page of (userid, department) rows; '' cursor at the end. https://developer.work.weixin.qq.com/document/path/96067 */
  async listIds(cursor = '', limit = LIST_ID_MAX_LIMIT): Promise<ListIdPage> {
    const wire = await this.http.call<{ dept_user?: ListIdPage['rows']; next_cursor?: string }>({
      api: 'user/list_id',
      method: 'POST',
      path: '/cgi-bin/user/list_id',
      body: { cursor, limit: Math.min(Math.max(1, limit), LIST_ID_MAX_LIMIT) },
      token: this.token,
    });
    return { rows: wire.dept_user ?? [], nextCursor: wire.next_cursor ?? '' };
  }

  /** One member; sensitive fields are absent for apps created after 2022-06-20. https://developer.work.weixin.qq.com/document/path/96255 */
  async getUser(userid: string): Promise<MemberWire> {
    const wire = await this.http.call<MemberWire & { errcode?: number; errmsg?: string }>({
      api: 'user/get',
      method: 'GET',
      path: '/cgi-bin/user/get',
      query: { userid },
      token: this.token,
    });
    const { errcode: _c, errmsg: _m, ...member } = wire;
    return member;
  }

  /** The visible department tree (or the subtree of `id`). https://developer.work.weixin.qq.com/document/path/90208 */
  async listDepartments(id?: number): Promise<DepartmentWire[]> {
    const wire = await this.http.call<{ department?: DepartmentWire[] }>({
      api: 'department/list',
      method: 'GET',
      path: '/cgi-bin/department/list',
      query: { id: id === undefined ? undefined : String(id) },
      token: this.token,
    });
    return wire.department ?? [];
  }
}
