import { h, replace } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { get, request, download } from '../api.js';

// The ABHA card as the platform renders it (PNG shown here; PNG or PDF to keep), with the profile beside it.
export async function card(view) {
  const [profile, png] = await Promise.all([
    get('/v3/profile/account'),
    request('/v3/profile/account/abha-card', { headers: { Accept: 'image/png' }, raw: true }).then(r => r.blob()),
  ]);
  const url = URL.createObjectURL(png);
  const name = [profile.firstName, profile.middleName, profile.lastName].filter(Boolean).join(' ');
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const save = (accept, file) => async () => {
    const saved = await download('/v3/profile/account/abha-card', accept, file);
    status.textContent = t('card.saved', { name: saved.name });
  };
  replace(view,
    h('h1', {}, t('card.title')),
    h('figure', { class: 'abha-card' }, h('img', { src: url, alt: t('card.alt', { name, number: profile.ABHANumber }), width: 711, height: 360 })),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: save('image/png', 'abha-card.png') }, t('card.png')),
      h('button', { type: 'button', class: 'secondary', onclick: save('application/pdf', 'abha-card.pdf') }, t('card.pdf'))),
    status,
    h('section', { class: 'card' }, h('h2', {}, t('card.profile')), h('dl', {},
      h('dt', {}, t('card.name')), h('dd', {}, name),
      h('dt', {}, t('card.number')), h('dd', {}, profile.ABHANumber),
      h('dt', {}, t('card.address')), h('dd', {}, profile.preferredAbhaAddress ?? '—'),
      h('dt', {}, t('card.dob')), h('dd', {}, profile.dob ?? '—'),
      h('dt', {}, t('card.mobile')), h('dd', {}, profile.mobile ?? '—'),
      h('dt', {}, t('card.status')), h('dd', {}, profile.abhaStatus))),
    profile.consent?.acceptedAt ? h('p', { class: 'muted small' }, t('card.consented', { date: formatDate(profile.consent.acceptedAt) })) : null);
}
