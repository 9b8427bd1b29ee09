import { h, replace, field } from '../dom.js';
import { t, formatDate, formatNumber } from '../i18n.js';
import { get, post } from '../api.js';

// Teleconsultations over the patient's synchronous UHI API: search free slots (specialty, language, date, mode),
// see the quote, book (init + confirm with the payment reference and the teleconsultation consent), see my
// appointments, cancel one, and join: the call itself (screens/call.js, loaded when the call starts).
const SPECIALTIES = ['General Medicine', 'Paediatrics', 'Dermatology', 'Gynaecology', 'Cardiology', 'Orthopaedics', 'Psychiatry', 'ENT'];
const LANGUAGES = ['English', 'Hindi', 'Bengali', 'Marathi', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Gujarati', 'Punjabi'];
const MODES = ['video', 'audio', 'chat'];

const rupees = amount => formatNumber(amount, { style: 'currency', currency: 'INR', maximumFractionDigits: 2 });

export async function teleconsult(view) {
  const { appointments } = await get('/v1/patients/me/teleconsultations');
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const rerender = async message => { await teleconsult(view); view.querySelector('[role=status]').textContent = message; };
  const shown = appointments.filter(a => a.status !== 'EXPIRED');
  replace(view,
    h('h1', {}, t('tele.title')), status,
    h('h2', {}, t('tele.mine')),
    shown.length ? shown.map(a => appointmentCard(a, rerender)) : h('p', { class: 'muted' }, t('tele.noneBooked')),
    searchForm(rerender));
}

function appointmentCard(a, rerender) {
  const join = h('div', { class: 'join', 'aria-live': 'polite' });
  const active = a.status === 'CONFIRMED' || a.status === 'IN_PROGRESS';
  const card = h('article', { class: 'card appointment', 'data-id': a.appointmentId, 'data-status': a.status },
    h('h3', {}, t('tele.with', { doctor: a.doctorName })),
    h('p', {}, h('span', { class: `tag ${active ? 'ok' : a.status === 'CANCELLED' ? 'bad' : ''}` }, t(`tele.status.${a.status}`))),
    h('dl', {},
      h('dt', {}, t('tele.when')), h('dd', {}, h('time', { datetime: a.start }, formatDate(a.start, true)), ` (${t('tele.minutes', { n: formatNumber(a.durationMinutes) })})`),
      h('dt', {}, t('tele.specialty')), h('dd', {}, a.specialty),
      h('dt', {}, t('tele.mode')), h('dd', {}, t(`tele.mode.${a.mode}`)),
      h('dt', {}, t('tele.fee')), h('dd', {}, rupees(a.feeInr)),
      a.refund ? [h('dt', {}, t('tele.refund')), h('dd', {}, rupees(a.refund.amountInr))] : null),
    h('div', { class: 'actions' },
      active ? h('button', { type: 'button', 'data-action': 'join', onclick: async event => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          const token = await post(`/v1/telemedicine/consultations/${encodeURIComponent(a.appointmentId)}/join-token`, {});
          replace(join, joinPanel(a, token));
        } catch (error) {
          replace(join, h('p', { class: 'error', role: 'alert' }, error.code === 'CONSULTATION_TOO_EARLY' ? t('tele.tooEarly') : t('app.error', { message: error.message })));
        } finally {
          button.disabled = false;
        }
      } }, t('tele.join')) : null,
      a.status === 'CONFIRMED' && new Date(a.start) > new Date() ? h('button', { type: 'button', class: 'danger', 'data-action': 'cancel', onclick: async () => {
        try {
          await post('/v1/telemedicine/cancel', { appointmentId: a.appointmentId, reason: 'Cancelled by the patient in the web app' });
          await rerender(t('tele.cancelled'));
        } catch (error) {
          replace(join, h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
        }
      } }, t('tele.cancel')) : null),
    join);
  return card;
}

// After Join: the call starts only on the patient's request (the browser then asks for the camera and microphone).
function joinPanel(a, token) {
  const call = h('div', { class: 'call-area' });
  let pass = token;
  const joinToken = async () => {
    if (new Date(pass.expiresAt).getTime() - Date.now() < 60_000) {
      pass = await post(`/v1/telemedicine/consultations/${encodeURIComponent(a.appointmentId)}/join-token`, {});
    }
    return pass;
  };
  const start = h('button', { type: 'button', 'data-action': 'start-call', onclick: async () => {
    start.hidden = true;
    const { startCall } = await import('./call.js');
    await startCall(call, { consultationId: a.appointmentId, mode: a.mode, caller: true, joinToken, peerName: t('tele.with', { doctor: a.doctorName }) });
  } }, a.mode === 'chat' ? t('call.startChat') : t('call.start'));
  return h('div', { class: 'notice join-token' },
    h('p', {}, t(`call.intro.${a.mode}`, { until: formatDate(token.expiresAt, true) })),
    h('div', { class: 'actions' }, start),
    call);
}

function istDay(date, end) {
  return `${date}T${end ? '23:59:59' : '00:00:00'}+05:30`;
}

function searchForm(rerender) {
  const results = h('div', { class: 'offers', 'aria-live': 'polite' });
  const form = h('form', { class: 'card tele-search' },
    h('h2', {}, t('tele.book')),
    h('div', { class: 'grid2' },
      h('div', { class: 'field' }, h('label', { for: 'tele-specialty' }, t('tele.specialty')),
        h('select', { id: 'tele-specialty', name: 'specialty' }, h('option', { value: '' }, t('tele.any')),
          SPECIALTIES.map(s => h('option', { value: s }, t(`specialty.${s}`) === `specialty.${s}` ? s : t(`specialty.${s}`))))),
      h('div', { class: 'field' }, h('label', { for: 'tele-language' }, t('tele.language')),
        h('select', { id: 'tele-language', name: 'language' }, h('option', { value: '' }, t('tele.any')),
          LANGUAGES.map(l => h('option', { value: l }, t(`languageName.${l}`) === `languageName.${l}` ? l : t(`languageName.${l}`))))),
      field(t('tele.date'), { type: 'date', name: 'date', id: 'tele-date' }, t('tele.dateHint')),
      h('div', { class: 'field' }, h('label', { for: 'tele-mode' }, t('tele.mode')),
        h('select', { id: 'tele-mode', name: 'mode' }, h('option', { value: '' }, t('tele.any')), MODES.map(m => h('option', { value: m }, t(`tele.mode.${m}`)))))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('tele.search'))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const search = { limit: 20 };
    if (form.specialty.value) search.specialty = form.specialty.value;
    if (form.language.value) search.language = form.language.value;
    if (form.mode.value) search.mode = form.mode.value;
    if (form.date.value) {
      search.earliestStart = istDay(form.date.value, false);
      search.latestStart = istDay(form.date.value, true);
    }
    try {
      const { offers } = await post('/v1/telemedicine/search', search);
      replace(results, offers.length
        ? h('ul', { class: 'plain', 'aria-label': t('tele.results') }, offers.map(o => h('li', {}, offerCard(o, rerender))))
        : h('p', { class: 'muted' }, t('tele.noSlots')));
    } catch (error) {
      replace(results, h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
    }
  });
  return h('section', {}, form, results);
}

function offerCard(o, rerender) {
  const detail = h('div', {});
  const card = h('article', { class: 'card offer', 'data-slot': o.slotId },
    h('h3', {}, o.doctorName),
    h('p', { class: 'small' }, o.specialty, ' · ', o.facilityName),
    h('dl', {},
      h('dt', {}, t('tele.when')), h('dd', {}, h('time', { datetime: o.start }, formatDate(o.start, true)), ` (${t('tele.minutes', { n: formatNumber(o.durationMinutes) })})`),
      h('dt', {}, t('tele.fee')), h('dd', {}, rupees(o.feeInr)),
      h('dt', {}, t('tele.languages')), h('dd', {}, o.languages.join(', ')),
      h('dt', {}, t('tele.modes')), h('dd', {}, o.modes.map(m => t(`tele.mode.${m}`)).join(', '))),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', onclick: async event => {
      const button = event.currentTarget;
      try {
        const quote = await post('/v1/telemedicine/select', { slotId: o.slotId });
        replace(detail, bookForm(o, quote, rerender));
        button.setAttribute('aria-expanded', 'true');
        button.hidden = true;
        detail.querySelector('select')?.focus();
      } catch (error) {
        replace(detail, h('p', { class: 'error', role: 'alert' }, t('app.error', { message: error.message })));
      }
    } }, t('tele.choose', { time: formatDate(o.start, true) }))),
    detail);
  return card;
}

function bookForm(o, quote, rerender) {
  const id = o.slotId;
  const message = h('div', {});
  const form = h('form', { class: 'book' },
    h('p', {}, t('tele.price', { price: rupees(quote.priceInr), minutes: formatNumber(quote.holdMinutes) })),
    quote.cancellationTerms?.length ? h('ul', { class: 'small muted' }, quote.cancellationTerms.map(term => h('li', {}, term))) : null,
    h('div', { class: 'field' }, h('label', { for: `mode-${id}` }, t('tele.mode')),
      h('select', { id: `mode-${id}`, name: 'mode' }, o.modes.map(m => h('option', { value: m }, t(`tele.mode.${m}`))))),
    field(t('tele.payment'), { name: 'payment', id: `pay-${id}`, required: true, maxlength: 64, autocomplete: 'off' }, t('tele.paymentHint')),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'consent', required: true }), t('tele.consent')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('tele.confirm'))), message);
  // One key per booking form: pressing Confirm again after a failed attempt resumes that booking instead of meeting
  // its own hold on the slot (the server's Idempotency-Key on init).
  const bookingKey = Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const held = await post('/v1/telemedicine/init', { slotId: o.slotId, mode: form.mode.value }, { headers: { 'Idempotency-Key': bookingKey } });
      await post('/v1/telemedicine/confirm', { appointmentId: held.appointmentId, paymentReference: form.payment.value.trim(), teleconsultationConsent: form.consent.checked });
      await rerender(t('tele.booked', { doctor: o.doctorName, time: formatDate(o.start, true) }));
    } catch (error) {
      replace(message, h('p', { class: 'error', role: 'alert' }, error.code === 'SLOT_TAKEN' ? t('tele.taken') : t('app.error', { message: error.message })));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
