import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get } from '../api.js';

// Finds a verified facility by part of its name or by its six-digit pincode (the registry's patient search) and hands
// the chosen one to <choose>: patients know "the hospital on the station road", not an HFR id.
export function facilitySearch({ id, type, choose }) {
  const results = h('ul', { class: 'plain facility-results', 'aria-live': 'polite' });
  const query = h('input', { type: 'search', id, name: `${id}-query`, autocomplete: 'off', enterkeyhint: 'search', 'aria-describedby': `${id}-hint` });
  const run = async () => {
    const text = query.value.trim();
    if (!text) return;
    const params = new URLSearchParams(/^\d{6}$/.test(text) ? { pincode: text } : { name: text });
    if (type) params.set('type', type);
    replace(results, h('li', { class: 'muted' }, t('search.searching')));
    try {
      const { facilities } = await get(`/v1/patients/me/facility-search?${params}`);
      replace(results, facilities.length
        ? facilities.map(f => h('li', { class: 'facility-result', 'data-facility': f.facilityId },
          h('strong', {}, f.facilityName),
          h('div', { class: 'muted small' }, [f.city, f.district, f.stateName, f.pincode].filter(Boolean).join(', ')),
          h('button', { type: 'button', class: 'link', 'aria-label': t('search.chooseOne', { name: f.facilityName }), onclick: () => choose(f) }, t('search.choose'))))
        : h('li', { class: 'muted' }, t('search.none')));
    } catch (error) {
      replace(results, h('li', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
    }
  };
  // Enter searches instead of submitting the form the search sits in.
  query.addEventListener('keydown', event => { if (event.key === 'Enter') { event.preventDefault(); run(); } });
  return h('div', { class: 'field facility-search' },
    h('label', { for: id }, t('search.label')),
    h('span', { id: `${id}-hint`, class: 'muted small' }, t('search.hint')),
    h('div', { class: 'search-row' }, query, h('button', { type: 'button', class: 'secondary', onclick: run }, t('search.go'))),
    results);
}
