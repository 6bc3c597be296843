// @ts-check
import { api } from './api.js';
import { h, link, replace } from './dom.js';
import { messageBox, section } from './ui.js';

const WORD = 'ERASE';

/**
 * Erasure (admin, DESIGN §7): irreversible, so the button stays disabled until the admin types ERASE; the
 * answer's counts are shown in place of the profile.
 * @param {any} c
 */
export function erasePanel(c) {
  const msg = messageBox();
  const confirm = h('input', { name: 'confirm', autocomplete: 'off', placeholder: WORD, 'aria-label': `Type ${WORD} to confirm` });
  const button = h('button', { type: 'submit', class: 'danger', disabled: true }, 'Erase this customer');
  confirm.addEventListener('input', () => {
    button.disabled = confirm.value.trim() !== WORD;
  });
  const holder = h('div');
  const form = h(
    'form',
    { class: 'inline', onsubmit: async (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      if (confirm.value.trim() !== WORD) return;
      button.disabled = true;
      try {
        const r = await api(`/customers/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
        replace(
          holder,
          h('p', { class: 'message ok' }, `Erased ${r.customerId}: ${r.identities} identities, ${r.events} events, ${r.tags} tags, ${r.follows} follows, ${r.subscriptions} subscriptions, ${r.transactions} payments anonymised.`),
          link('/customers', 'Back to customers'),
        );
      } catch (e) {
        button.disabled = false;
        msg.error(e, 'erase customers');
      }
    } },
    h('span', null, `Removes identities, timeline, tags, follows and subscriptions; payments are kept without the payer. Type ${WORD} to confirm:`),
    confirm,
    button,
  );
  replace(holder, form, msg.el);
  return section('Erase', holder);
}
