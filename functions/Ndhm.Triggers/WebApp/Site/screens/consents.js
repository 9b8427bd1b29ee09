import { h, replace } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { get, post } from '../api.js';

// Pending requests (grant as asked or narrower: fewer care contexts, record types, a shorter period; or deny) and
// granted consents (revoke). The platform refuses any grant wider than the request (GRANT_WIDENS). Below them, the
// same for subscriptions: a HIU holding a STREAM/QUERY consent asks to hear of new visits (LINK) or new records (DATA).
export async function consents(view) {
  const [pending, granted, subscriptionRequests, subscriptions] = await Promise.all([
    get('/v1/patients/me/consent-requests?status=REQUESTED'),
    get('/v1/patients/me/consents'),
    get('/v1/patients/me/subscription-requests?status=REQUESTED'),
    get('/v1/patients/me/subscription-requests?status=GRANTED'),
  ]);
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const rerender = async message => { await consents(view); view.querySelector('[role=status]').textContent = message; };
  replace(view,
    h('h1', {}, t('consents.title')), status,
    h('h2', {}, t('consents.pending')),
    pending.consentRequests.length ? pending.consentRequests.map(r => requestCard(r, rerender)) : h('p', { class: 'muted' }, t('consents.noPending')),
    h('h2', {}, t('consents.granted')),
    granted.consents.filter(c => c.status === 'GRANTED').length
      ? granted.consents.filter(c => c.status === 'GRANTED').map(c => artefactCard(c, rerender))
      : h('p', { class: 'muted' }, t('consents.noGranted')),
    h('h2', {}, t('subscriptions.pending')),
    subscriptionRequests.subscriptionRequests.length
      ? subscriptionRequests.subscriptionRequests.map(r => subscriptionRequestCard(r, rerender))
      : h('p', { class: 'muted' }, t('subscriptions.noPending')),
    h('h2', {}, t('subscriptions.active')),
    subscriptions.subscriptionRequests.length
      ? subscriptions.subscriptionRequests.map(s => subscriptionCard(s, rerender))
      : h('p', { class: 'muted' }, t('subscriptions.noActive')));
}

function subscriptionSources(hips) {
  return hips?.length ? hips.map(x => x.id).join(', ') : t('subscriptions.anyHip');
}

// Approve as asked or with fewer categories (the same period and HIPs), or deny.
function subscriptionRequestCard(r, rerender) {
  const id = r.id;
  const form = h('form', { class: 'card subscription-request', 'data-id': id },
    h('h3', {}, r.hiu?.name ?? r.hiu?.id),
    h('p', { class: 'small' }, t('consents.purpose'), ': ', r.purpose?.text ?? r.purpose?.code, ' · ', t('consents.hiu'), ': ', r.hiu?.id),
    h('dl', {},
      h('dt', {}, t('subscriptions.from')), h('dd', {}, subscriptionSources(r.hips)),
      h('dt', {}, t('consents.period')), h('dd', {}, `${formatDate(r.period.from)} – ${formatDate(r.period.to)}`)),
    h('fieldset', {}, h('legend', {}, t('subscriptions.categories')),
      r.categories.map(c => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'category', value: c, checked: true }), t(`subscriptions.category.${c}`)))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, t('subscriptions.approve')),
      h('button', { type: 'button', class: 'danger', 'data-action': 'deny' }, t('consents.deny'))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const categories = [...form.querySelectorAll('input[name=category]:checked')].map(i => i.value);
    const body = categories.length === r.categories.length ? {} : {
      sources: (r.hips?.length ? r.hips : [null]).map(hip => (hip ? { hip: { id: hip.id }, categories } : { categories })),
    };
    try {
      await post(`/v1/patients/me/subscription-requests/${encodeURIComponent(id)}/grant`, body);
      await rerender(t('subscriptions.approvedOk'));
    } catch (error) {
      form.append(h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
    }
  });
  form.querySelector('[data-action=deny]').addEventListener('click', async () => {
    await post(`/v1/patients/me/subscription-requests/${encodeURIComponent(id)}/deny`, { reason: 'Denied by the patient in the web app' });
    await rerender(t('consents.deniedOk'));
  });
  return form;
}

function subscriptionCard(s, rerender) {
  const sources = s.sources ?? [];
  return h('article', { class: 'card subscription', 'data-id': s.subscriptionId },
    h('h3', {}, s.hiu?.name ?? s.hiu?.id),
    h('dl', {},
      h('dt', {}, t('subscriptions.from')), h('dd', {}, subscriptionSources(sources.filter(x => x.hip).map(x => x.hip))),
      h('dt', {}, t('subscriptions.categories')),
      h('dd', {}, [...new Set(sources.flatMap(x => x.categories))].map(c => t(`subscriptions.category.${c}`)).join(', ')),
      h('dt', {}, t('consents.until')), h('dd', {}, formatDate(sources.map(x => x.period.to).sort().at(-1)))),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: async () => {
      await post(`/v1/patients/me/subscriptions/${encodeURIComponent(s.subscriptionId)}/revoke`, {});
      await rerender(t('subscriptions.revokedOk'));
    } }, t('consents.revoke'))));
}

function dateInput(value) { return value ? value.slice(0, 10) : ''; }

function requestCard(r, rerender) {
  const id = r.id;
  const contexts = r.careContexts ?? [];
  const form = h('form', { class: 'card consent-request', 'data-id': id },
    h('h3', {}, r.requester?.name ?? r.hiu?.id),
    h('p', { class: 'small' }, t('consents.purpose'), ': ', r.purpose?.text ?? r.purpose?.code, ' · ', t('consents.hiu'), ': ', r.hiu?.id),
    h('fieldset', {}, h('legend', {}, t('consents.types')),
      r.hiTypes.map(type => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'hiType', value: type, checked: true }), t(`hiType.${type}`)))),
    contexts.length ? h('fieldset', {}, h('legend', {}, t('consents.contexts')),
      contexts.map(c => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'careContext', value: `${c.patientReference}|${c.careContextReference}`, checked: true }),
        c.display ?? c.careContextReference))) : null,
    h('fieldset', {}, h('legend', {}, t('consents.period')),
      h('div', { class: 'grid2' },
        h('div', { class: 'field' }, h('label', { for: `from-${id}` }, t('consents.from')),
          h('input', { type: 'date', id: `from-${id}`, name: 'from', value: dateInput(r.permission?.dateRange?.from), min: dateInput(r.permission?.dateRange?.from), max: dateInput(r.permission?.dateRange?.to) })),
        h('div', { class: 'field' }, h('label', { for: `to-${id}` }, t('consents.to')),
          h('input', { type: 'date', id: `to-${id}`, name: 'to', value: dateInput(r.permission?.dateRange?.to), min: dateInput(r.permission?.dateRange?.from), max: dateInput(r.permission?.dateRange?.to) })))),
    h('p', { class: 'muted small' }, t('consents.expires', { date: formatDate(r.permission?.dataEraseAt) })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', name: 'grant' }, t('consents.grant')),
      h('button', { type: 'button', class: 'danger', 'data-action': 'deny' }, t('consents.deny'))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const hiTypes = [...form.querySelectorAll('input[name=hiType]:checked')].map(i => i.value);
    const chosen = [...form.querySelectorAll('input[name=careContext]:checked')].map(i => i.value.split('|'));
    const body = { hiTypes };
    if (contexts.length) {
      body.hips = [{ id: r.hip?.id, careContexts: chosen.map(([patientReference, careContextReference]) => ({ patientReference, careContextReference })) }];
    }
    const from = form.from.value, to = form.to.value;
    if (from && to) {
      const original = r.permission.dateRange;
      body.dateRange = {
        from: from === dateInput(original.from) ? original.from : `${from}T00:00:00Z`,
        to: to === dateInput(original.to) ? original.to : `${to}T23:59:59Z`,
      };
    }
    try {
      await post(`/v1/patients/me/consent-requests/${encodeURIComponent(id)}/grant`, body);
      await rerender(t('consents.grantedOk'));
    } catch (error) {
      form.append(h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
    }
  });
  form.querySelector('[data-action=deny]').addEventListener('click', async () => {
    await post(`/v1/patients/me/consent-requests/${encodeURIComponent(id)}/deny`, { reason: 'Denied by the patient in the web app' });
    await rerender(t('consents.deniedOk'));
  });
  return form;
}

function artefactCard(c, rerender) {
  const detail = c.consentDetail;
  return h('article', { class: 'card consent-artefact', 'data-id': c.id },
    h('h3', {}, detail.requester?.name ?? detail.hiu?.id),
    h('dl', {},
      h('dt', {}, t('consents.hip')), h('dd', {}, detail.hip?.id),
      h('dt', {}, t('consents.types')), h('dd', {}, detail.hiTypes.map(x => t(`hiType.${x}`)).join(', ')),
      h('dt', {}, t('consents.contexts')), h('dd', {}, detail.careContexts.map(x => x.careContextReference).join(', ')),
      h('dt', {}, t('consents.period')), h('dd', {}, `${formatDate(detail.permission.dateRange.from)} – ${formatDate(detail.permission.dateRange.to)}`),
      h('dt', {}, t('consents.until')), h('dd', {}, formatDate(detail.permission.dataEraseAt))),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: async () => {
      await post(`/v1/patients/me/consents/${encodeURIComponent(c.id)}/revoke`, {});
      await rerender(t('consents.revokedOk'));
    } }, t('consents.revoke'))));
}
