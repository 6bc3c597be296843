import type { SidebarJssdkConfig } from './sidebar-api';

/** A step of the WeCom handshake that failed; the page explains it in the viewer's language. */
export type WecomFailure = 'SDK_UNAVAILABLE' | 'AGENT_CONFIG_FAILED' | 'NOT_IN_CHAT';

export class WecomError extends Error {
  constructor(
    readonly code: WecomFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WecomError';
  }
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new WecomError('SDK_UNAVAILABLE', src));
    document.head.appendChild(s);
  });
}

function invoke(wx: WxSdk, name: string): Promise<WxInvokeResult> {
  return new Promise((resolve) => wx.invoke(name, {}, resolve));
}

/**
 * The external_userid of the chat the sidebar was opened from, by WeCom's JS-SDK (wechat-api.md §5.12): load the
 * scripts the gateway names, `wx.config` (corp ticket) and `wx.agentConfig` (app ticket), then `getContext` →
 * `getCurExternalContact`.
 */
export async function currentExternalUserId(sdk: SidebarJssdkConfig): Promise<string> {
  // In order: jwxwork expects jweixin to be there already.
  for (const src of sdk.jsSdkUrls) await loadScript(src);
  const wx = window.wx;
  if (!wx) throw new WecomError('SDK_UNAVAILABLE', 'wx is missing');
  // Since client 3.0.24 agentConfig does not wait for config; a failed config only loses APIs the page does not use.
  wx.error((res) => console.warn('wx.config failed', res.errMsg));
  wx.config({ ...sdk.config, debug: false });
  await new Promise((resolve, reject) =>
    wx.agentConfig({
      ...sdk.agentConfig,
      success: resolve,
      fail: (res) => reject(new WecomError('AGENT_CONFIG_FAILED', res.errMsg)),
    }),
  );
  const context = await invoke(wx, 'getContext');
  if (
    !context.err_msg.endsWith(':ok') ||
    (context.entry !== 'single_chat_tools' && context.entry !== 'contact_profile')
  ) {
    throw new WecomError('NOT_IN_CHAT', context.entry ?? context.err_msg);
  }
  const contact = await invoke(wx, 'getCurExternalContact');
  if (!contact.err_msg.endsWith(':ok') || !contact.userId) throw new WecomError('NOT_IN_CHAT', contact.err_msg);
  return contact.userId;
}
