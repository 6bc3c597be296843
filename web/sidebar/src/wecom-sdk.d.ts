// The part of WeChat's JS-SDK inside the WeCom client (jweixin + jwxwork, wechat-api.md §5.12) the sidebar uses.

interface WxSignedConfig {
  timestamp: number;
  nonceStr: string;
  signature: string;
  jsApiList: string[];
}

interface WxConfigInput extends WxSignedConfig {
  beta: boolean;
  debug?: boolean;
  appId: string;
}

interface WxAgentConfigInput extends WxSignedConfig {
  corpid: string;
  agentid: number;
  success?: (res: { errMsg: string }) => void;
  fail?: (res: { errMsg: string; errCode?: number }) => void;
  complete?: (res: { errMsg: string }) => void;
}

interface WxInvokeResult {
  err_msg: string;
  entry?: string;
  userId?: string;
}

interface WxSdk {
  config(input: WxConfigInput): void;
  ready(fn: () => void): void;
  error(fn: (res: { errMsg: string }) => void): void;
  agentConfig(input: WxAgentConfigInput): void;
  invoke(name: string, args: Record<string, unknown>, callback: (res: WxInvokeResult) => void): void;
}

interface Window {
  wx?: WxSdk;
}
