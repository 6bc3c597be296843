import { ALNUM, hashString, Prng } from '../core/hash';
import { IdCodec } from '../core/id-codec';
import type { CallbackMode } from '../plugin-types';
import type { WorldOptions } from '../options';

/**
 * The app registry: Official Accounts, Mini Programs, WeCom corps, Pay merchants and the open platform they may
 * be bound to, with credentials derived from the seed. A unionid exists only through apps bound to an open
 * platform (wechat-api.md §9); external_userids are per corp (§5.8).
 */
export interface OpenPlatform {
  id: string;
  unionCodec: IdCodec;
}

export interface WxApp {
  kind: 'official-account' | 'mini-program';
  index: number;
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey: string;
  originalId: string;
  openPlatform: OpenPlatform | undefined;
  callbackMode: CallbackMode;
  format: 'xml' | 'json';
  url: string | undefined;
  /** Verified service account: updateremark and similar APIs need it (48001 otherwise). */
  verified: boolean;
  /** Empty = no API IP allow-list; otherwise token calls from other IPs get 40164. */
  ipWhitelist: string[];
  /** The H5 OAuth domain; undefined = any redirect_uri accepted. */
  oauthDomain: string | undefined;
  codec: IdCodec;
}

export interface CorpApp {
  name: string;
  agentId: number | undefined;
  secret: string;
  /** Listed under 客户联系 → 可调用接口的应用; external contact APIs answer 48002 otherwise (wechat-api.md §5). */
  externalContact: boolean;
}

export interface Corp {
  index: number;
  name: string;
  corpId: string;
  token: string;
  encodingAESKey: string;
  openPlatform: OpenPlatform | undefined;
  contactApp: CorpApp;
  agentApp: CorpApp;
  /** The self-built app's trusted domain (可信域名): OAuth and Web login redirect only there; undefined = any. */
  trustedDomain: string | undefined;
  /** 通讯录同步 (contact sync): the only secret user/list_id accepts, sees the whole directory (wecom-ops §6.5). */
  directoryApp: CorpApp;
  url: string | undefined;
  wmCodec: IdCodec;
  woCodec: IdCodec;
  openidCodec: IdCodec;
  pendingCodec: IdCodec;
  tagCodec: IdCodec;
  /** Customer group chat_ids (`wr` + 28, wechat-api-wecom-ops.md §1.1). */
  chatCodec: IdCodec;
}

export interface Merchant {
  mchId: string;
  appId: string;
  apiV3Key: string;
  notifyUrl: string | undefined;
}

export interface AppRegistry {
  openPlatform: OpenPlatform;
  officialAccounts: WxApp[];
  miniPrograms: WxApp[];
  corps: Corp[];
  merchants: Merchant[];
}

const OA_MODES: CallbackMode[] = ['safe', 'compatible', 'plaintext'];
const OA_NAMES = [
  '品牌服务号',
  '会员俱乐部',
  '门店资讯',
  '新品速递',
  '售后服务',
  '企业订阅号',
  '城市活动',
  '直播预告',
  '积分商城',
  '品牌故事',
];

function codecKey(seed: number, label: string): number {
  return (hashString(label) ^ Math.imul(seed + 1, 0x27d4eb2d)) >>> 0;
}

function prefixFrom(rng: Prng, n: number): string {
  return rng.chars(n, ALNUM);
}

export function buildRegistry(o: WorldOptions): AppRegistry {
  const rng = new Prng(o.seed ^ 0x5eed_a995);
  const gw = o.gatewayUrl;
  const openPlatform: OpenPlatform = {
    id: `op_${rng.hex(10)}`,
    unionCodec: new IdCodec(`o${prefixFrom(rng, 5)}`, codecKey(o.seed, 'union'), 22),
  };
  const wxApp = (kind: WxApp['kind'], index: number): WxApp => {
    const appId = `wx${rng.hex(16)}`;
    const oa = kind === 'official-account';
    return {
      kind,
      index,
      name: oa ? OA_NAMES[index % OA_NAMES.length]! : `小程序${index + 1}`,
      appId,
      appSecret: rng.hex(32),
      token: rng.chars(32, ALNUM),
      encodingAESKey: rng.chars(43, ALNUM),
      originalId: `gh_${rng.hex(12)}`,
      // The second OA is left unbound so connectors meet an app that never returns unionid.
      openPlatform: oa && index % 2 === 1 ? undefined : openPlatform,
      callbackMode: o.callbackMode ?? (oa ? OA_MODES[index % OA_MODES.length]! : 'safe'),
      format: oa || index % 2 === 1 ? 'xml' : 'json',
      url: gw ? `${gw}/wechat/${kind}/${appId}` : undefined,
      verified: true,
      ipWhitelist: [],
      oauthDomain: undefined,
      codec: new IdCodec(`o${prefixFrom(rng, 5)}`, codecKey(o.seed, appId), 22),
    };
  };
  const officialAccounts = Array.from({ length: o.officialAccounts }, (_, i) => wxApp('official-account', i));
  const miniPrograms = Array.from({ length: o.miniPrograms }, (_, i) => wxApp('mini-program', i));
  const corps = Array.from({ length: o.corps }, (_, i): Corp => {
    const corpId = `ww${rng.hex(16)}`;
    const k = (label: string) => codecKey(o.seed, `${corpId}/${label}`);
    const corpPrefix = prefixFrom(rng, 4);
    return {
      index: i,
      name: i === 0 ? '示例品牌有限公司' : `示例品牌${i + 1}公司`,
      corpId,
      token: rng.chars(32, ALNUM),
      encodingAESKey: rng.chars(43, ALNUM),
      openPlatform,
      contactApp: { name: '客户联系', agentId: undefined, secret: rng.chars(43, `${ALNUM}-_`), externalContact: true },
      agentApp: { name: '客户侧边栏', agentId: 1000002, secret: rng.chars(43, `${ALNUM}-_`), externalContact: false },
      trustedDomain: undefined,
      // Its own generator, so adding it left every other seeded id and secret as it was.
      directoryApp: {
        name: '通讯录同步',
        agentId: undefined,
        secret: new Prng(codecKey(o.seed, `${corpId}/directory`)).chars(43, `${ALNUM}-_`),
        externalContact: false,
      },
      url: gw ? `${gw}/wechat/wecom/${corpId}` : undefined,
      wmCodec: new IdCodec(`wm${corpPrefix}`, k('wm'), 24),
      woCodec: new IdCodec(`wo${corpPrefix}`, k('wo'), 24),
      openidCodec: new IdCodec(`o${prefixFrom(rng, 5)}`, k('openid'), 22),
      pendingCodec: new IdCodec(`pd${corpPrefix}`, k('pending'), 24),
      tagCodec: new IdCodec(`et${corpPrefix}`, k('tag'), 26),
      chatCodec: new IdCodec(`wr${corpPrefix}`, k('chat'), 24),
    };
  });
  const payApps = [...officialAccounts.slice(0, 1), ...miniPrograms.slice(0, 1)];
  const merchants = Array.from({ length: o.merchants }, (_, i): Merchant => {
    const mchId = `19${String(10_000_000 + ((o.seed * 7919 + i * 104_729) % 89_999_999)).padStart(8, '0')}`;
    return {
      mchId,
      appId: payApps[i % Math.max(1, payApps.length)]?.appId ?? officialAccounts[0]!.appId,
      apiV3Key: rng.chars(32, ALNUM),
      notifyUrl: gw ? `${gw}/wechat/pay/${mchId}` : undefined,
    };
  });
  return { openPlatform, officialAccounts, miniPrograms, corps, merchants };
}

export function findWxApp(r: AppRegistry, appId: string): WxApp | undefined {
  return r.officialAccounts.find((a) => a.appId === appId) ?? r.miniPrograms.find((a) => a.appId === appId);
}
