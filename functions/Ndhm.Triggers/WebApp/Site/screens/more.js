import { h, replace, field } from '../dom.js';
import { t } from '../i18n.js';
import { get, put, del, download, ApiError } from '../api.js';

// Download all my data (the DPDP export) and the nominee.
export async function more(view) {
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  let nominee = null;
  try {
    nominee = await get('/v1/patients/me/nominee');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const form = h('form', { class: 'card nominee' },
    h('h2', {}, t('nominee.title')),
    h('p', { class: 'muted small' }, nominee ? t('nominee.current', { name: nominee.name, status: nominee.status }) : t('nominee.none')),
    field(t('nominee.address'), { name: 'abhaAddress', required: true, id: 'nominee-address', value: nominee?.abhaAddress ?? '' }),
    field(t('nominee.name'), { name: 'name', required: true, id: 'nominee-name', value: nominee?.name ?? '' }),
    h('div', { class: 'field' }, h('label', { for: 'nominee-relationship' }, t('nominee.relationship')),
      h('select', { name: 'relationship', id: 'nominee-relationship' },
        ['SPOUSE', 'PARENT', 'CHILD', 'SIBLING', 'OTHER'].map(r => h('option', { value: r, selected: nominee?.relationship === r }, t(`relationship.${r}`))))),
    field(t('nominee.mobile'), { name: 'mobile', inputmode: 'numeric', maxlength: 10, required: true, id: 'nominee-mobile', value: nominee?.mobile ?? '' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('nominee.save')),
      nominee ? h('button', { type: 'button', class: 'danger', onclick: async () => { await del('/v1/patients/me/nominee'); await more(view); } }, t('nominee.remove')) : null));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await put('/v1/patients/me/nominee', { abhaAddress: form.abhaAddress.value.trim(), name: form.name.value.trim(), relationship: form.relationship.value, mobile: form.mobile.value.trim() });
      await more(view);
      view.querySelector('[role=status]').textContent = t('nominee.saved');
    } catch (error) {
      status.className = 'error';
      status.textContent = t('app.error', { message: error.message });
    }
  });
  replace(view, h('h1', {}, t('more.title')), status,
    h('section', { class: 'card' }, h('h2', {}, t('export.title')), h('p', { class: 'muted small' }, t('export.intro')),
      h('button', { type: 'button', onclick: async () => {
        const saved = await download('/v1/patients/me/export', 'application/json', 'my-health-data.json');
        status.textContent = t('export.done', { name: saved.name });
      } }, t('export.button'))),
    form);
}
