import { h, replace, field } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { get, post, del } from '../api.js';
import { facilitySearch } from './facility-search.js';

// Linked facilities and their care contexts; discover more at a HIP and link them with the HIP's OTP
// (the patient-initiated discover, link init and link confirm of the patient's linking API).
export async function facilities(view) {
  const { hips } = await get('/v1/patients/me/links');
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const rerender = async message => { await facilities(view); view.querySelector('[role=status]').textContent = message; };
  replace(view,
    h('h1', {}, t('facilities.title')), status,
    h('h2', {}, t('facilities.linked')),
    hips.length ? hips.map(hip => hipCard(hip, rerender)) : h('p', { class: 'muted' }, t('facilities.none')),
    discoverForm(rerender));
}

function hipCard(hip, rerender) {
  return h('article', { class: 'card linked-hip', 'data-hip': hip.hipId },
    h('h3', {}, hip.hipId),
    h('p', { class: 'muted small' }, t('facilities.patientAt', { name: hip.patientDisplay, reference: hip.patientReference })),
    h('ul', { class: 'plain' }, hip.careContexts.map(c => h('li', { class: 'care-context' },
      h('div', {}, h('strong', {}, c.display)),
      h('div', { class: 'muted small' }, c.referenceNumber, ' · ', t('facilities.linkedOn', { date: formatDate(c.linkedAt) })),
      (c.hiTypes ?? []).map(x => h('span', { class: 'tag' }, t(`hiType.${x}`))),
      h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'link', 'aria-label': t('facilities.unlinkOne', { name: c.display }), onclick: async () => {
          await del(`/v1/patients/me/links/${encodeURIComponent(hip.hipId)}/${encodeURIComponent(c.referenceNumber)}`);
          await rerender(t('facilities.unlinked', { name: c.display }));
        },
      }, t('facilities.unlink')))))));
}

/** Polls a GET until <done> holds or the deadline passes (the HIP answers through the gateway, asynchronously). */
async function until(path, done, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await get(path);
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

function discoverForm(rerender) {
  const result = h('div', { class: 'discovery', 'aria-live': 'polite' });
  const form = h('form', { class: 'card discover' },
    h('h2', {}, t('facilities.discover')),
    h('p', { class: 'muted small' }, t('facilities.discoverIntro')),
    facilitySearch({ id: 'discover-search', choose: f => { form.hipId.value = f.facilityId; form.hipId.focus(); } }),
    field(t('facilities.hipId'), { name: 'hipId', required: true, id: 'discover-hip', autocomplete: 'off' }, t('facilities.hipIdHint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('facilities.find'))));
  const box = h('section', {}, form, result);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    replace(result, h('p', { class: 'muted' }, t('facilities.searching')));
    try {
      const started = await post('/v1/patients/me/discover', { hipId: form.hipId.value.trim() });
      const discovery = await until(`/v1/patients/me/discoveries/${encodeURIComponent(started.transactionId)}`, d => d.status !== 'PENDING');
      if (discovery.status !== 'FOUND') {
        replace(result, h('p', { class: 'error', role: 'alert' }, t('facilities.notFound', { message: discovery.error?.message ?? discovery.status })));
      } else {
        replace(result, foundForm(discovery, rerender));
        result.querySelector('h3')?.focus();
      }
    } catch (error) {
      replace(result, h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
    } finally {
      button.disabled = false;
    }
  });
  return box;
}

function foundForm(discovery, rerender) {
  const patient = discovery.patient;
  const message = h('div', {});
  const form = h('form', { class: 'card found' },
    h('h3', { tabindex: '-1' }, t('facilities.found', { hip: discovery.hipId })),
    h('p', { class: 'muted small' }, t('facilities.patientAt', { name: patient.display, reference: patient.referenceNumber })),
    h('fieldset', {}, h('legend', {}, t('facilities.choose')),
      patient.careContexts.map(c => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'careContext', value: c.referenceNumber, checked: true }),
        h('span', {}, c.display, h('span', { class: 'muted small' }, ` (${c.referenceNumber})`))))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('facilities.link'))), message);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll('input[name=careContext]:checked')].map(i => i.value);
    if (!chosen.length) {
      replace(message, h('p', { class: 'error', role: 'alert' }, t('facilities.pickOne')));
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const init = await post('/v1/patients/me/links', { transactionId: discovery.transactionId, careContexts: chosen });
      const request = await until(`/v1/patients/me/link-requests/${encodeURIComponent(init.linkRequestId)}`, r => r.status !== 'REQUESTED');
      if (request.status !== 'AWAITING_OTP') {
        replace(message, h('p', { class: 'error', role: 'alert' }, t('facilities.linkFailed', { message: request.error?.message ?? request.status })));
        return;
      }
      form.querySelector('fieldset').disabled = true;
      button.hidden = true;
      replace(message, otpForm(request, rerender));
      message.querySelector('input')?.focus();
    } catch (error) {
      replace(message, h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function otpForm(request, rerender) {
  const error = h('div', {});
  const form = h('div', { class: 'otp' },
    h('p', { class: 'notice' }, t('facilities.otpSent', { hint: request.communicationHint ?? '' }),
      request.otpExpiresAt ? ` ${t('facilities.otpUntil', { time: formatDate(request.otpExpiresAt, true) })}` : ''),
    field(t('facilities.otp'), { name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 8, id: 'link-otp' }),
    h('div', { class: 'actions' }, h('button', { type: 'button', 'data-action': 'confirm' }, t('facilities.confirm'))), error);
  const button = form.querySelector('[data-action=confirm]');
  button.addEventListener('click', async () => {
    const otp = form.querySelector('input[name=otp]').value.trim();
    if (!otp) {
      replace(error, h('p', { class: 'error', role: 'alert' }, t('facilities.enterOtp')));
      return;
    }
    button.disabled = true;
    try {
      await post(`/v1/patients/me/links/${encodeURIComponent(request.linkRefNumber)}/confirm`, { otp });
      const done = await until(`/v1/patients/me/link-requests/${encodeURIComponent(request.linkRequestId)}`, r => r.status === 'LINKED' || r.status === 'FAILED' || r.status === 'AWAITING_OTP');
      if (done.status === 'LINKED') {
        await rerender(t('facilities.linkedOk', { count: (done.linked ?? done.careContexts).length, hip: done.hipId }));
      } else {
        replace(error, h('p', { class: 'error', role: 'alert' }, t('facilities.linkFailed', { message: done.error?.message ?? done.status })));
      }
    } catch (failure) {
      replace(error, h('p', { class: 'error', role: 'alert' }, t('app.error', { message: failure.message })));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
