// @ts-check
import { append, h } from './dom.js';
import { messageBox } from './ui.js';

/**
 * The sign-in form: the operator pastes an API key (`siyu api-key create`). The form posts nowhere — the key is
 * read in script and goes only into the Authorization header — so it can never end up in a URL or a server log.
 * @param {{ notice?: import('./dom.js').Child[], onKey: (key: string) => Promise<void> }} opts
 */
export function renderSignIn(opts) {
  const msg = messageBox();
  if (opts.notice?.length) {
    msg.el.className = 'message notice';
    append(msg.el, opts.notice);
  }
  const input = h('input', { type: 'password', name: 'apiKey', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'sy_…' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'signin', method: 'post', action: '#', onsubmit: (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      button.disabled = true;
      opts.onKey(key).catch((e) => msg.error(e, 'sign in')).finally(() => {
        button.disabled = false;
      });
    } },
    h('h1', null, 'Siyu console'),
    h('p', null, 'Paste an API key. It is kept in this browser tab only and forgotten when you sign out or close the tab.'),
    h('label', { class: 'field' }, h('span', null, 'API key'), input),
    button,
    msg.el,
  );
  setTimeout(() => input.focus(), 0);
  return form;
}
