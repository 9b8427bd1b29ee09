import { h, replace } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { get } from '../api.js';

// Who saw what, when, under which consent: the patient's own audit trail, newest first.
export async function accessLog(view) {
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('records.more'));
  let continuation = null;
  async function load() {
    const page = await get(`/v1/patients/me/audit-trail${continuation ? `?continuationToken=${encodeURIComponent(continuation)}` : ''}`);
    for (const e of page.entries) {
      body.append(h('tr', {},
        h('td', {}, h('time', { datetime: e.at }, formatDate(e.at, true))),
        h('td', {}, e.partner ?? (e.actorRoles.includes('patient') ? t('access.you') : e.actor), e.facility ? h('div', { class: 'muted small' }, e.facility) : null),
        h('td', {}, t(`action.${e.action}`) === `action.${e.action}` ? e.action : t(`action.${e.action}`), h('div', { class: 'muted small' }, e.resource?.type ?? '')),
        h('td', {}, e.consentId ?? '—', e.purpose ? h('div', { class: 'muted small' }, e.purpose) : null)));
    }
    continuation = page.continuationToken ?? null;
    more.hidden = !continuation;
  }
  more.addEventListener('click', load);
  replace(view, h('h1', {}, t('access.title')), h('p', { class: 'muted' }, t('access.intro')),
    h('div', { class: 'wrap card', tabindex: 0, role: 'region', 'aria-label': t('access.title') }, h('table', { class: 'access-log' },
      h('caption', { class: 'sr-only' }, t('access.title')),
      h('thead', {}, h('tr', {}, ['access.when', 'access.who', 'access.what', 'access.consent'].map(k => h('th', { scope: 'col' }, t(k))))), body)),
    more);
  await load();
}
