// @ts-check
/**
 * Which customer the staff member is chatting with, from WeCom's JS-SDK (wechat-api.md §5.12): load the SDK
 * scripts the gateway names, `wx.config` (corp ticket) and `wx.agentConfig` (app ticket), then
 * `getContext` → `getCurExternalContact` → the customer's external_userid.
 */

/**
 * @typedef {{
 *   config: WxConfigInput,
 *   agentConfig: WxAgentConfigInput,
 *   jsSdkUrls: string[],
 * }} JssdkConfig
 */

/** A step of the handshake that failed, with WeCom's message. */
export class WecomError extends Error {
  /**
   * @param {'SDK_UNAVAILABLE' | 'AGENT_CONFIG_FAILED' | 'NOT_IN_CHAT'} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'WecomError';
    this.code = code;
  }
}

/** @param {string} src */
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve(undefined);
    s.onerror = () => reject(new WecomError('SDK_UNAVAILABLE', `无法加载企业微信 JS-SDK（${src}）`));
    document.head.appendChild(s);
  });
}

/**
 * @param {WxSdk} wx
 * @param {string} name
 * @returns {Promise<WxInvokeResult>}
 */
function invoke(wx, name) {
  return new Promise((resolve) => wx.invoke(name, {}, resolve));
}

/**
 * The external_userid of the current chat.
 * @param {JssdkConfig} sdk
 * @returns {Promise<string>}
 */
export async function currentExternalUserId(sdk) {
  // In order: jwxwork expects jweixin to be there already.
  for (const src of sdk.jsSdkUrls) await loadScript(src);
  const wx = window.wx;
  if (!wx) throw new WecomError('SDK_UNAVAILABLE', '请在企业微信中打开此页面');
  // Since client 3.0.24 agentConfig does not wait for config; a failed config only loses APIs we do not use.
  wx.error((res) => console.warn('wx.config failed', res.errMsg));
  wx.config({ ...sdk.config, debug: false });
  await new Promise((resolve, reject) =>
    wx.agentConfig({
      ...sdk.agentConfig,
      success: resolve,
      fail: (res) => reject(new WecomError('AGENT_CONFIG_FAILED', `企业微信授权失败：${res.errMsg}`)),
    }),
  );
  const context = await invoke(wx, 'getContext');
  if (!context.err_msg.endsWith(':ok') || (context.entry !== 'single_chat_tools' && context.entry !== 'contact_profile')) {
    throw new WecomError('NOT_IN_CHAT', '请在与客户的单聊工具栏或客户详情中打开侧边栏');
  }
  const contact = await invoke(wx, 'getCurExternalContact');
  if (!contact.err_msg.endsWith(':ok') || !contact.userId) throw new WecomError('NOT_IN_CHAT', `无法获取当前客户：${contact.err_msg}`);
  return contact.userId;
}
