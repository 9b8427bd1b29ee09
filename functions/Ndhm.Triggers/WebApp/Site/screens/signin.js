import { h, replace, field } from '../dom.js';
import { t, language } from '../i18n.js';
import { get, post } from '../api.js';

// Sign in with an ABHA number (14 digits) or ABHA address and the OTP sent to the account's mobile; a first-timer
// enrols with Aadhaar and its OTP, then picks an ABHA address. The session is set by the platform as HttpOnly cookies.
export async function signIn(view, mode, done) {
  if (mode === 'enrol') return enrol(view, done);
  const status = h('p', { role: 'status', class: 'muted', 'aria-live': 'polite' });
  const idInput = field(t('signin.id'), { name: 'loginId', autocomplete: 'username', required: true, inputmode: 'text', id: 'login-id' }, t('signin.idHint'));
  const form = h('form', { class: 'card', novalidate: true }, idInput, h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('signin.sendOtp'))));
  let txnId = null;
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      if (!txnId) {
        const loginId = form.loginId.value.trim();
        const digits = loginId.replace(/[\s-]/g, '');
        const loginHint = /^\d{14}$/.test(digits) ? 'abha-number' : 'abha-address';
        const sent = await post('/v3/profile/login/request/otp', {
          scope: ['abha-login', 'mobile-verify'], loginHint, loginId: loginHint === 'abha-number' ? digits : loginId, otpSystem: 'abdm',
        });
        txnId = sent.txnId;
        status.textContent = sent.message ?? t('signin.otpSent');
        form.loginId.readOnly = true;
        form.querySelector('.actions').before(field(t('signin.otp'), {
          name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true, id: 'otp',
        }));
        button.textContent = t('signin.verify');
        form.otp.focus();
      } else {
        await post('/app/session/login', { authData: { authMethods: ['otp'], otp: { txnId, otpValue: form.otp.value.trim() } } });
        done();
      }
    } catch (error) {
      status.textContent = t('app.error', { message: error.message });
      status.className = 'error';
    } finally {
      button.disabled = false;
    }
  });
  replace(view,
    h('h1', {}, t('signin.title')),
    h('p', { class: 'muted' }, t('signin.intro')),
    form, status,
    h('p', {}, t('signin.firstTime'), ' ', h('a', { href: '#/enrol' }, t('signin.enrolLink'))));
}

async function enrol(view, done) {
  const consent = await get(`/v3/enrollment/consent?language=${encodeURIComponent(language())}`).catch(() => get('/v3/enrollment/consent'));
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const form = h('form', { class: 'card', novalidate: true },
    field(t('enrol.aadhaar'), { name: 'aadhaar', inputmode: 'numeric', autocomplete: 'off', pattern: '[0-9]{12}', maxlength: 14, required: true, id: 'aadhaar' }, t('enrol.aadhaarHint')),
    h('details', {}, h('summary', {}, consent.title), consent.text.map(p => h('p', { class: 'small' }, p))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'agree', required: true }), t('enrol.agree')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('signin.sendOtp'))));
  let txnId = null;
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const button = form.querySelector('button');
    if (!form.agree.checked) {
      status.textContent = t('enrol.mustAgree');
      status.className = 'error';
      return;
    }
    button.disabled = true;
    try {
      if (!txnId) {
        const sent = await post('/v3/enrollment/request/otp', {
          scope: ['abha-enrol'], loginHint: 'aadhaar', loginId: form.aadhaar.value.replace(/\D/g, ''), otpSystem: 'aadhaar',
        });
        txnId = sent.txnId;
        status.className = 'muted';
        status.textContent = sent.message ?? t('signin.otpSent');
        form.aadhaar.readOnly = true;
        form.querySelector('.actions').before(field(t('signin.otp'), {
          name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, required: true, id: 'otp',
        }));
        button.textContent = t('enrol.create');
        form.otp.focus();
      } else {
        const session = await post('/app/session/enrol', {
          authData: { authMethods: ['otp'], otp: { txnId, otpValue: form.otp.value.trim() } },
          consent: { code: consent.code, version: consent.version, language: consent.language },
        });
        if (session.ABHAProfile?.preferredAbhaAddress) return done();
        await chooseAddress(view, session.ABHAProfile, done);
      }
    } catch (error) {
      status.textContent = t('app.error', { message: error.message });
      status.className = 'error';
    } finally {
      button.disabled = false;
    }
  });
  replace(view, h('h1', {}, t('enrol.title')), h('p', { class: 'muted' }, t('enrol.intro')), form, status,
    h('p', {}, h('a', { href: '#/signin' }, t('enrol.haveAbha'))));
}

async function chooseAddress(view, profile, done) {
  const suggestions = await get('/v3/enrollment/enrol/suggestion').catch(() => ({ abhaAddressList: [] }));
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const form = h('form', { class: 'card' },
    field(t('enrol.address'), { name: 'address', required: true, id: 'abha-address', value: suggestions.abhaAddressList?.[0] ?? '', autocomplete: 'off' }, t('enrol.addressHint')),
    suggestions.abhaAddressList?.length ? h('p', { class: 'muted small' }, t('enrol.suggestions'), ' ', suggestions.abhaAddressList.join(', ')) : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('enrol.saveAddress')), h('button', { type: 'button', class: 'secondary', onclick: done }, t('enrol.later'))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await post('/v3/enrollment/enrol/abha-address', { abhaAddress: form.address.value.trim(), preferred: true });
      done();
    } catch (error) {
      status.textContent = t('app.error', { message: error.message });
      status.className = 'error';
    }
  });
  replace(view, h('h1', {}, t('enrol.welcome', { name: profile?.firstName ?? '' })),
    h('p', {}, t('enrol.abhaNumber'), ' ', h('strong', {}, profile?.ABHANumber ?? '')), form, status);
  view.querySelector('h1').focus();
}
