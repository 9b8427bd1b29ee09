import { h, replace } from './dom.js';
import { t, languages, setLanguage, preferredLanguage, language } from './i18n.js';
import { post, hasSession } from './api.js';
import { signIn } from './screens/signin.js';
import { records } from './screens/records.js';
import { card } from './screens/card.js';
import { consents } from './screens/consents.js';
import { accessLog } from './screens/access.js';
import { more } from './screens/more.js';

// Screens used less often load on demand (import()), so the first screen downloads none of them; the page preloads
// only what this module imports statically.
const lazy = (load, name) => async view => (await load())[name](view);

// Hash routes: the page is one document, so a route change never reloads or asks the server for HTML.
const screens = {
  records: { title: 'nav.records', render: records },
  facilities: { title: 'nav.facilities', render: lazy(() => import('./screens/facilities.js'), 'facilities') },
  doctor: { title: 'nav.doctor', render: lazy(() => import('./screens/teleconsult.js'), 'teleconsult') },
  medicines: { title: 'nav.medicines', render: lazy(() => import('./screens/pharmacy.js'), 'pharmacy') },
  card: { title: 'nav.card', render: card },
  consents: { title: 'nav.consents', render: consents },
  access: { title: 'nav.access', render: accessLog },
  more: { title: 'nav.more', render: more },
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOutButton = document.getElementById('signout');
const languageSelect = document.getElementById('lang');

function route() {
  const name = location.hash.replace(/^#\/?/, '').split('/')[0];
  return name;
}

function renderChrome(signedIn) {
  document.getElementById('brand').textContent = t('app.name');
  document.getElementById('lang-label').textContent = t('app.language');
  document.querySelector('.skip').textContent = t('app.skip');
  signOutButton.textContent = t('app.signOut');
  signOutButton.hidden = !signedIn;
  nav.hidden = !signedIn;
  nav.setAttribute('aria-label', t('app.sections'));
  const current = route();
  replace(nav, Object.entries(screens).map(([name, screen]) =>
    h('a', { href: `#/${name}`, 'aria-current': name === current ? 'page' : null }, t(screen.title))));
  replace(languageSelect, languages.map(l => h('option', { value: l.code, selected: l.code === language(), lang: l.code }, l.name)));
}

export async function show() {
  const signedIn = hasSession();
  let name = route();
  if (!signedIn && name !== 'signin' && name !== 'enrol') {
    location.replace('#/signin');
    name = 'signin';
  } else if (signedIn && !screens[name]) {
    location.replace('#/records');
    name = 'records';
  }
  renderChrome(signedIn);
  const screen = screens[name];
  document.title = `${t(screen?.title ?? 'signin.title')} · ${t('app.name')}`;
  const view = h('div', { class: 'screen', 'data-screen': name });
  replace(main, view);
  try {
    await (screen ? screen.render(view) : signIn(view, name === 'enrol' ? 'enrol' : 'signin', onSignedIn));
  } catch (error) {
    if (error.status === 401) {
      await post('/app/session/logout', {}).catch(() => {});
      location.hash = '#/signin';
      return;
    }
    replace(view, h('p', { class: 'alert', role: 'alert' }, t('app.error', { message: error.message })));
  }
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    main.querySelector('h1')?.setAttribute('tabindex', '-1');
    if (location.hash) main.querySelector('h1')?.focus();
  }
}

function onSignedIn() {
  location.hash = '#/records';
}

signOutButton.addEventListener('click', async () => {
  await post('/app/session/logout', {});
  location.hash = '#/signin';
});

languageSelect.addEventListener('change', async () => {
  await setLanguage(languageSelect.value);
  await show();
});

window.addEventListener('hashchange', show);

await setLanguage(preferredLanguage());
await show();
