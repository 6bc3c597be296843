import axios, { type AxiosInstance } from 'axios';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { EmulatorOptions } from '../../emulator/app';

/** A running emulator on 127.0.0.1:0 with an axios client that never throws on status. */
export interface TestEmulator {
  emu: RunningEmulator;
  http: AxiosInstance;
  oa: AxiosInstance;
  wecom: AxiosInstance;
  control: AxiosInstance;
  apps(): Promise<AppsSummary>;
  oaToken(appIndex?: number): Promise<string>;
  mpToken(appIndex?: number): Promise<string>;
  wecomToken(corpIndex?: number, which?: 'contact' | 'agent' | 'directory'): Promise<string>;
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export interface WxAppView {
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey: string;
  bound: boolean;
  openPlatformId: string | null;
}

export interface CorpView {
  corpId: string;
  contactSecret: string;
  agentSecret: string;
  directorySecret: string;
  agentId: number;
  bound: boolean;
}

export interface AppsSummary {
  seed: number;
  openPlatformId: string;
  persons: number;
  officialAccounts: WxAppView[];
  miniPrograms: WxAppView[];
  corps: CorpView[];
  merchants: { mchId: string; appId: string }[];
  accounts: Record<string, unknown>[];
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ followers: 50, wecomContacts: 30, wecomStaff: 5, ...options });
  const make = (base: string) => axios.create({ baseURL: `${emu.url}${base}`, validateStatus: () => true });
  const http = make('');
  const control = make('/_emulator');
  let cached: AppsSummary | undefined;
  const apps = async () => (cached ??= (await control.get<AppsSummary>('/apps')).data);
  const t: TestEmulator = {
    emu,
    http,
    oa: make('/api.weixin.qq.com'),
    wecom: make('/qyapi.weixin.qq.com'),
    control,
    apps,
    async oaToken(i = 0) {
      const a = (await apps()).officialAccounts[i]!;
      const r = await t.oa.get('/cgi-bin/token', {
        params: { grant_type: 'client_credential', appid: a.appId, secret: a.appSecret },
      });
      return r.data.access_token as string;
    },
    async mpToken(i = 0) {
      const a = (await apps()).miniPrograms[i]!;
      const r = await t.oa.get('/cgi-bin/token', {
        params: { grant_type: 'client_credential', appid: a.appId, secret: a.appSecret },
      });
      return r.data.access_token as string;
    },
    async wecomToken(i = 0, which = 'contact') {
      const c = (await apps()).corps[i]!;
      const r = await t.wecom.get('/cgi-bin/gettoken', {
        params: {
          corpid: c.corpId,
          corpsecret: { contact: c.contactSecret, agent: c.agentSecret, directory: c.directorySecret }[which],
        },
      });
      return r.data.access_token as string;
    },
    async advance(seconds) {
      await control.post('/clock/advance', { seconds });
    },
    async close() {
      await emu.close();
    },
  };
  return t;
}
