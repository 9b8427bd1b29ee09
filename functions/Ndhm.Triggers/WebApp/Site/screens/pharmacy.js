import { h, replace, field } from '../dom.js';
import { t, formatDate, formatNumber } from '../i18n.js';
import { get, post } from '../api.js';
import { facilitySearch } from './facility-search.js';

// Medicines: share a prescription with one pharmacy or every verified pharmacy of a pincode, see the quotes, order
// from one, and follow the order (PLACED -> ACCEPTED -> PACKED -> DISPATCHED -> DELIVERED). Quotes and order changes
// arrive from the pharmacy asynchronously: a card still waiting re-reads itself every few seconds while shown.
const STEPS = ['PLACED', 'ACCEPTED', 'PACKED', 'DISPATCHED', 'DELIVERED'];
const FINAL = ['DELIVERED', 'REJECTED', 'CANCELLED'];
const rupees = amount => formatNumber(amount, { style: 'currency', currency: 'INR', maximumFractionDigits: 2 });

export async function pharmacy(view) {
  const [{ prescriptions }, { shares }] = await Promise.all([get('/v1/patients/me/prescriptions'), get('/v1/patients/me/prescription-shares')]);
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const rerender = async message => { await pharmacy(view); view.querySelector('[role=status]').textContent = message; };
  const byId = Object.fromEntries(prescriptions.map(p => [p.id, p]));
  replace(view,
    h('h1', {}, t('rx.title')), status,
    h('h2', {}, t('rx.orders')),
    shares.length ? shares.map(s => followed(view, s, byId[s.prescriptionId], rerender)) : h('p', { class: 'muted' }, t('rx.noShares')),
    h('h2', {}, t('rx.prescriptions')),
    prescriptions.length ? prescriptions.map(p => prescriptionCard(p, rerender)) : h('p', { class: 'muted' }, t('rx.none')));
}

/** Re-reads a waiting card every few seconds while it is on screen (for at most ten minutes). */
function refreshWhile(view, card, load, waiting) {
  const started = Date.now();
  const tick = async () => {
    if (!card.isConnected || !view.isConnected || Date.now() - started > 600_000) return;
    try {
      const next = await load();
      if (!card.isConnected) return;
      card.replaceWith(next.card);
      if (waiting(next.value)) { card = next.card; setTimeout(tick, 3000); }
    } catch { setTimeout(tick, 5000); }
  };
  setTimeout(tick, 3000);
}

function items(p) {
  return h('div', { class: 'wrap', tabindex: 0, role: 'region', 'aria-label': t('rx.items') }, h('table', { class: 'rx-items' },
    h('caption', { class: 'sr-only' }, t('rx.items')),
    h('thead', {}, h('tr', {}, ['rx.medicine', 'rx.dosage', 'rx.quantity'].map(k => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, p.items.map(i => h('tr', {},
      h('td', {}, i.drugName, h('div', { class: 'muted small' }, `${i.strength} · ${i.form}`)),
      h('td', {}, i.dosage, i.instructions ? h('div', { class: 'muted small' }, i.instructions) : null),
      h('td', {}, formatNumber(i.quantity)))))));
}

function prescriptionCard(p, rerender) {
  const id = p.id;
  const message = h('div', {});
  const valid = new Date(p.validUntil) > new Date();
  const form = h('form', { class: 'card prescription', 'data-id': id },
    h('h3', {}, t('rx.from', { doctor: p.doctorName })),
    h('p', { class: 'muted small' }, t('rx.issued', { date: formatDate(p.issuedAt), until: formatDate(p.validUntil) }),
      p.conditionText ? ` · ${p.conditionText}` : ''),
    items(p),
    valid ? h('fieldset', {}, h('legend', {}, t('rx.shareWith')),
      h('label', { class: 'check' }, h('input', { type: 'radio', name: 'shareTo', value: 'pharmacy', checked: true }), t('rx.onePharmacy')),
      facilitySearch({ id: `pharmacy-search-${id}`, type: 'Pharmacy', choose: f => {
        form.pharmacyId.value = f.facilityId;
        form.elements.shareTo.value = 'pharmacy';
        form.pharmacyId.focus();
      } }),
      field(t('rx.pharmacyId'), { name: 'pharmacyId', id: `pharmacy-${id}`, autocomplete: 'off' }, t('rx.pharmacyIdHint')),
      h('label', { class: 'check' }, h('input', { type: 'radio', name: 'shareTo', value: 'pincode' }), t('rx.nearby')),
      field(t('rx.pincode'), { name: 'pincode', id: `pincode-${id}`, inputmode: 'numeric', maxlength: 6, pattern: '[1-9][0-9]{5}', autocomplete: 'postal-code' })) : h('p', { class: 'muted' }, t('rx.expired')),
    valid ? h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('rx.share'))) : null, message);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const byPincode = form.elements.shareTo.value === 'pincode';
    const value = (byPincode ? form.pincode : form.pharmacyId).value.trim();
    if (!value) {
      replace(message, h('p', { class: 'error', role: 'alert' }, byPincode ? t('rx.enterPincode') : t('rx.enterPharmacy')));
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await post(`/v1/patients/me/prescriptions/${encodeURIComponent(id)}/shares`, byPincode ? { pincode: value } : { pharmacyId: value });
      await rerender(t('rx.shared'));
    } catch (error) {
      replace(message, h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function shareCard(view, share, prescription, rerender) {
  if (share.orderId) return orderCard(view, share, prescription);
  const card = h('article', { class: 'card share', 'data-id': share.id },
    h('h3', {}, prescription ? t('rx.from', { doctor: prescription.doctorName }) : t('rx.prescription')),
    h('p', { class: 'muted small' }, t('rx.sharedOn', { date: formatDate(share.createdAt, true) }),
      share.pincode ? ` · ${t('rx.inPincode', { pincode: share.pincode })}` : ''),
    h('ul', { class: 'plain quotes' }, share.pharmacies.map(p => h('li', { class: 'quote', 'data-pharmacy': p.pharmacyId },
      h('strong', {}, p.pharmacyName),
      p.quote
        ? [h('div', {}, t('rx.total', { total: rupees(p.quote.total) }), h('span', { class: 'muted small' }, ` · ${t('rx.quotedAt', { time: formatDate(p.quote.quotedAt, true) })}`)),
          h('ul', { class: 'small' }, p.quote.lines.map(l => h('li', {}, `${l.drugName} × ${formatNumber(l.quantity)}: `,
            l.available ? rupees(l.unitPrice * l.quantity) : t('rx.unavailable'), l.substituted ? ` (${t('rx.substitute')})` : ''))),
          h('div', { class: 'actions' }, h('button', { type: 'button', 'aria-label': t('rx.orderFrom', { name: p.pharmacyName }), onclick: async event => {
            event.currentTarget.disabled = true;
            try {
              await post(`/v1/patients/me/prescription-shares/${encodeURIComponent(share.id)}/orders`, { pharmacyId: p.pharmacyId });
              await rerender(t('rx.ordered', { name: p.pharmacyName }));
            } catch (error) {
              card.append(h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
            }
          } }, t('rx.order')))]
        : h('div', { class: 'muted small' }, t('rx.waiting'))))));
  return card;
}

/** A share's card, re-read while some pharmacy has not quoted yet (an ordered share becomes its order's card). */
function followed(view, share, prescription, rerender) {
  const card = shareCard(view, share, prescription, rerender);
  if (!share.orderId && share.pharmacies.some(p => !p.quote)) {
    refreshWhile(view, card, async () => {
      const next = await get(`/v1/patients/me/prescription-shares/${encodeURIComponent(share.id)}`);
      return { value: next, card: shareCard(view, next, prescription, rerender) };
    }, next => !next.orderId && next.pharmacies.some(p => !p.quote));
  }
  return card;
}

function orderCard(view, share, prescription) {
  const card = h('article', { class: 'card order', 'data-share': share.id, 'data-order': share.orderId }, h('p', { class: 'muted' }, t('rx.loadingOrder')));
  get(`/v1/patients/me/pharmacy-orders/${encodeURIComponent(share.orderId)}`).then(order => {
    const filled = renderOrder(share, prescription, order);
    card.replaceWith(filled);
    if (!FINAL.includes(order.status)) {
      refreshWhile(view, filled, async () => {
        const next = await get(`/v1/patients/me/pharmacy-orders/${encodeURIComponent(share.orderId)}`);
        return { value: next, card: renderOrder(share, prescription, next) };
      }, next => !FINAL.includes(next.status));
    }
  }).catch(error => card.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message }))));
  return card;
}

function renderOrder(share, prescription, order) {
  const pharmacyName = share.pharmacies.find(p => p.pharmacyId === order.pharmacyId)?.pharmacyName ?? order.pharmacyId;
  const reached = STEPS.indexOf(order.status);
  const message = h('div', {});
  const card = h('article', { class: 'card order', 'data-share': share.id, 'data-order': order.id, 'data-status': order.status },
    h('h3', {}, t('rx.orderAt', { name: pharmacyName })),
    h('p', { class: 'muted small' }, prescription ? `${t('rx.from', { doctor: prescription.doctorName })} · ` : '',
      t('rx.placedOn', { date: formatDate(order.createdAt, true) }), ' · ', t('rx.total', { total: rupees(order.total) })),
    h('p', { class: 'order-status' }, t('rx.status'), ' ', h('span', { class: `tag ${order.status === 'DELIVERED' ? 'ok' : FINAL.includes(order.status) ? 'bad' : ''}` }, t(`rx.status.${order.status}`)),
      order.reason ? h('span', { class: 'muted small' }, ` (${order.reason})`) : null),
    reached >= 0 ? h('ol', { class: 'steps', 'aria-label': t('rx.progress') }, STEPS.map((step, i) => h('li', {
      class: i <= reached ? 'done' : null, 'aria-current': i === reached ? 'step' : null,
    }, t(`rx.status.${step}`), order.events.find(e => e.applied && e.status === step)
      ? h('span', { class: 'muted small' }, ` · ${formatDate(order.events.find(e => e.applied && e.status === step).at, true)}`) : null))) : null,
    h('ul', { class: 'small' }, order.lines.map(l => h('li', {}, `${l.drugName} × ${formatNumber(l.quantity)}`))),
    ['PLACED', 'ACCEPTED', 'PACKED'].includes(order.status) ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: async event => {
      event.currentTarget.disabled = true;
      try {
        await post(`/v1/patients/me/pharmacy-orders/${encodeURIComponent(order.id)}/cancel`, { reason: 'Cancelled by the patient in the web app' });
        replace(message, h('p', { class: 'notice' }, t('rx.cancelAsked')));
      } catch (error) {
        replace(message, h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
      }
    } }, t('rx.cancel'))) : null, message);
  return card;
}
