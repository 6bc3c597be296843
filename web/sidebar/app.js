// @ts-check
import { ApiError, requestJson } from './http.js';
import { byId } from './dom.js';
import { renderPicker, renderProfile, renderTags } from './render.js';
import { WecomError, currentExternalUserId } from './wecom.js';

/**
 * The WeCom chat sidebar: who is the customer in this chat (all channels, tags, orders, timeline), and tag them.
 * The gateway only answers for customers this staff member follows; writes carry the CSRF header.
 */
const API = '/sidebar/api';
const WRITE = { 'X-Siyu-Sidebar': '1' };
const RELOGIN_KEY = 'siyu-sidebar-relogin';

/** @typedef {import('./render.js').Profile} Profile */
/** @typedef {import('./render.js').PickerTag} PickerTag */
/** @typedef {import('./render.js').CustomerTag} CustomerTag */

/**
 * @param {'loading' | 'forbidden' | 'notfound' | 'error' | 'ready'} state
 * @param {string} [text]
 */
function show(state, text = '') {
  const status = byId('status');
  status.dataset.state = state;
  status.textContent = text;
  status.hidden = state === 'ready';
  byId('profile').hidden = state !== 'ready';
}

/** @param {unknown} e */
function explain(e) {
  if (e instanceof WecomError) return show(e.code === 'NOT_IN_CHAT' ? 'notfound' : 'error', e.message);
  if (!(e instanceof ApiError)) return show('error', `出错了：${e instanceof Error ? e.message : String(e)}`);
  if (e.status === 401) return relogin();
  if (e.status === 403 && e.code === 'NOT_YOUR_CUSTOMER') return show('forbidden', '没有这位客户的资料：只能查看自己添加的客户（刚添加的客户可能尚未同步，请稍后再试）。');
  if (e.status === 404 && e.code === 'CUSTOMER_NOT_FOUND') return show('notfound', '还没有这位客户的资料（可能尚未同步），请稍后再试。');
  return show('error', `出错了：${e.message}（${e.code}）`);
}

/** The session is gone: the page route sends the browser through WeCom's silent login once, not in a loop. */
function relogin() {
  const last = Number(sessionStorage.getItem(RELOGIN_KEY) ?? 0);
  if (Date.now() - last < 30_000) return show('error', '登录已失效，请关闭侧边栏后重新打开。');
  sessionStorage.setItem(RELOGIN_KEY, String(Date.now()));
  location.replace(`/sidebar${location.search}`);
}

/**
 * @param {string} externalUserId
 * @param {Profile} profile
 * @param {PickerTag[]} catalog
 */
function wireTags(externalUserId, profile, catalog) {
  const base = `${API}/customers/${encodeURIComponent(externalUserId)}/tags`;
  const error = byId('tag-error');
  const form = /** @type {HTMLFormElement} */ (byId('tag-form'));
  const picker = /** @type {HTMLSelectElement} */ (byId('tag-picker'));
  /** @param {CustomerTag[]} tags */
  const render = (tags) => {
    renderTags(tags, remove);
    renderPicker(catalog, tags);
  };
  /** @param {() => Promise<{ tags: CustomerTag[] }>} change */
  const apply = async (change) => {
    error.hidden = true;
    form.inert = true;
    try {
      render((await change()).tags);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return relogin();
      error.textContent = e instanceof ApiError ? `操作失败：${e.message}` : '操作失败，请重试';
      error.hidden = false;
    } finally {
      form.inert = false;
    }
  };
  /** @param {string} tagId */
  function remove(tagId) {
    void apply(() => requestJson(`${base}/${encodeURIComponent(tagId)}`, { method: 'DELETE', headers: WRITE }));
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (picker.value) void apply(() => requestJson(base, { method: 'POST', headers: WRITE, body: { tagIds: [picker.value] } }));
  });
  render(profile.tags);
}

async function main() {
  show('loading', '正在识别当前聊天的客户…');
  try {
    const pageUrl = location.href.split('#')[0] ?? location.href;
    const sdk = await requestJson(`${API}/jssdk-config?url=${encodeURIComponent(pageUrl)}`);
    const externalUserId = await currentExternalUserId(sdk);
    show('loading', '正在加载客户资料…');
    /** @type {[Profile, { items: PickerTag[] }]} */
    const [profile, catalog] = await Promise.all([requestJson(`${API}/customers/${encodeURIComponent(externalUserId)}`), requestJson(`${API}/tags`)]);
    sessionStorage.removeItem(RELOGIN_KEY);
    renderProfile(profile);
    wireTags(externalUserId, profile, catalog.items);
    show('ready');
  } catch (e) {
    explain(e);
  }
}

void main();
