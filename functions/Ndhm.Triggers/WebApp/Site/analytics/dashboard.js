import { h, replace, field } from '../dom.js';
import { t, languages, setLanguage, preferredLanguage, language, formatNumber } from '../i18n.js';

// The analytics dashboard: its own page and session (an ANALYTICS partner's token in an HttpOnly cookie sent only to
// /api/v1/analytics). Charts over time and by state from the aggregate query; a cell the query does not release is
// shown as suppressed, never as zero (the API does not say whether a missing cell was withheld or empty, by design).
const root = document.documentElement;
const api = root.dataset.api;
const definitions = JSON.parse(root.dataset.definitions || '{"common":[],"measures":[]}');
const main = document.getElementById('main');
const signOutButton = document.getElementById('signout');
const languageSelect = document.getElementById('lang');
const palette = ['#0b5d4b', '#b4462b', '#2a5db0', '#8a6d00', '#6b3fa0', '#1c7c8c', '#a4161a', '#4a5561'];
const charts = [];
let last = null;

function csrfToken() {
  const match = document.cookie.split('; ').find(c => c.startsWith('ndhm_analytics_csrf='));
  return match ? decodeURIComponent(match.slice('ndhm_analytics_csrf='.length)) : '';
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
  }
}

async function call(path, { method = 'GET', json, accept = 'application/json' } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: accept } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
    init.headers['X-CSRF-Token'] = csrfToken();
  }
  const response = await fetch(`${api}${path}`, init);
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* no body */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}

// A measure or dimension the language files do not name yet (added to the definitions later) shows its code.
function named(kind, code) {
  const text = t(`${kind}.${code}`);
  return text === `${kind}.${code}` ? code : text;
}

// ---- periods: the labels the API uses (day yyyy-MM-dd, week yyyy-MM-W1..W4 = days 1-7, 8-14, 15-21, 22-end, month yyyy-MM)
const iso = d => d.toISOString().slice(0, 10);
const parse = s => new Date(`${s}T00:00:00Z`);
function periodOf(day, grain) {
  const month = iso(day).slice(0, 7);
  if (grain === 'day') return iso(day);
  if (grain === 'week') return `${month}-W${Math.min(Math.floor((day.getUTCDate() - 1) / 7), 3) + 1}`;
  return month;
}
function periodsBetween(from, to, grain) {
  const counts = new Map();
  for (let d = parse(from); d <= parse(to); d = new Date(d.getTime() + 86400000)) {
    const label = periodOf(d, grain);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  // Only periods wholly inside the range: the API releases nothing that straddles its ends.
  return [...counts.entries()].filter(([label, days]) => days === periodLength(label)).map(([label]) => label);
}
function periodLength(label) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return 1;
  const [y, m] = label.slice(0, 7).split('-').map(Number);
  const monthDays = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const week = /-W(\d)$/.exec(label);
  if (!week) return monthDays;
  return week[1] === '4' ? monthDays - 21 : 7;
}

// ---- screens
function signInScreen(message) {
  const id = field(t('signin.clientId'), { name: 'clientId', autocomplete: 'username', required: true });
  const secret = field(t('signin.clientSecret'), { name: 'clientSecret', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert', hidden: !message }, message ?? '');
  const form = h('form', { class: 'card', novalidate: true }, id, secret, error,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('signin.submit'))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(form);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await call('/app/analytics/session/login', { method: 'POST', json: { clientId: data.get('clientId'), clientSecret: data.get('clientSecret') } });
      await show();
    } catch (e) {
      error.hidden = false;
      error.textContent = e.status === 401 ? t('signin.wrong') : e.status === 403 ? t('signin.notAnalytics') : t('app.error', { message: e.message });
      button.disabled = false;
    }
  });
  main.classList.remove('wide');
  replace(main, h('h1', {}, t('signin.title')), h('p', { class: 'muted' }, t('signin.intro')), form);
}

function defaultRange() {
  const now = new Date();
  const firstOfMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1));
  return { from: iso(from), to: iso(new Date(firstOfMonth.getTime() - 86400000)) };
}

function dimensionsOf(measureName) {
  const measure = definitions.measures.find(m => m.name === measureName);
  return [...definitions.common, ...(measure?.dimensions ?? [])];
}

function dashboardScreen() {
  const range = last?.form ?? { measure: definitions.measures[0]?.name, breakdown: '', granularity: 'month', ...defaultRange() };
  const measure = h('select', { id: 'measure', name: 'measure' },
    definitions.measures.map(m => h('option', { value: m.name, selected: m.name === range.measure }, named('measure', m.name))));
  const breakdown = h('select', { id: 'breakdown', name: 'breakdown' });
  const fillBreakdown = () => replace(breakdown, h('option', { value: '' }, t('form.noBreakdown')),
    dimensionsOf(measure.value).filter(d => d.name !== 'state').map(d => h('option', { value: d.name, selected: d.name === range.breakdown }, named('dimension', d.name))));
  fillBreakdown();
  measure.addEventListener('change', fillBreakdown);
  const granularity = h('select', { id: 'granularity', name: 'granularity' },
    ['day', 'week', 'month'].map(g => h('option', { value: g, selected: g === range.granularity }, t(`grain.${g}`))));
  const labelled = (id, text, control) => h('div', { class: 'field' }, h('label', { for: id }, text), control);
  const form = h('form', { class: 'card', 'aria-label': t('form.title') },
    h('div', { class: 'controls' },
      labelled('measure', t('form.measure'), measure),
      labelled('breakdown', t('form.breakdown'), breakdown),
      labelled('granularity', t('form.granularity'), granularity),
      labelled('state', t('form.state'), h('input', { id: 'state', name: 'state', value: range.state ?? '', pattern: '[A-Z]{2}', maxlength: 2,
        autocapitalize: 'characters', placeholder: 'MH' })),
      labelled('from', t('form.from'), h('input', { id: 'from', name: 'from', type: 'date', value: range.from, required: true })),
      labelled('to', t('form.to'), h('input', { id: 'to', name: 'to', type: 'date', value: range.to, required: true }))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, t('form.show')),
      h('button', { type: 'button', class: 'secondary', id: 'csv' }, t('form.csv'))));
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  const read = () => Object.fromEntries(new FormData(form).entries());
  form.addEventListener('submit', async event => { event.preventDefault(); await load(read(), results); });
  form.querySelector('#csv').addEventListener('click', () => downloadCsv(read(), results));
  main.classList.add('wide');
  replace(main, h('h1', {}, t('dash.title')), h('p', { class: 'muted small' }, t('dash.intro')), form, results);
  if (last) render(last, results);
}

function queryString(form, dimensions) {
  const q = new URLSearchParams({ measure: form.measure, from: form.from, to: form.to, granularity: form.granularity });
  if (dimensions.length) q.set('dimensions', dimensions.join(','));
  if (form.state) q.set('state', form.state.trim().toUpperCase());
  return q.toString();
}

async function load(form, results) {
  replace(results, h('p', { class: 'loading' }, t('app.loading')));
  try {
    const overTime = await (await call(`/v1/analytics/aggregates?${queryString(form, form.breakdown ? [form.breakdown] : [])}`)).json();
    const byState = await (await call(`/v1/analytics/aggregates?${queryString(form, ['state'])}`)).json();
    last = { form, overTime, byState };
    render(last, results);
  } catch (e) {
    await failed(e, results);
  }
}

async function failed(e, results) {
  if (e.status === 401) {
    await signOut();
    return;
  }
  replace(results, h('p', { class: 'alert', role: 'alert' }, t('app.error', { message: e.message })));
}

async function downloadCsv(form, results) {
  try {
    const response = await call(`/v1/analytics/aggregates?${queryString(form, form.breakdown ? [form.breakdown] : [])}&format=csv`, { accept: 'text/csv' });
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: `analytics-${form.measure}-${form.from}-${form.to}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    await failed(e, results);
  }
}

// A grid of rows x columns: every cell the query released, and "suppressed" for every other (never 0).
function grid(result, rowKeys, columnOf, columns) {
  const cells = new Map();
  const extra = [];
  for (const row of result.rows) {
    const key = `${row.period}\u0000${columnOf(row)}`;
    if (rowKeys.includes(row.period)) cells.set(key, (cells.get(key) ?? 0) + row.count);
    else extra.push(row); // a block released only at a coarser grain than asked
  }
  return { value: (r, c) => cells.get(`${r}\u0000${c}`) ?? null, extra, columns };
}

function valueCell(value, threshold) {
  return value === null
    ? h('td', { class: 'num suppressed', title: t('table.suppressedHint', { threshold }) }, t('table.suppressed'))
    : h('td', { class: 'num' }, formatNumber(value));
}

function render({ form, overTime, byState }, results) {
  for (const chart of charts.splice(0)) chart.destroy();
  const threshold = overTime.threshold;
  const periods = periodsBetween(overTime.from, overTime.to, overTime.granularity);
  const dimension = form.breakdown;
  const seen = [...new Set(overTime.rows.map(r => dimension ? r.dimensions[dimension] : ''))];
  const declared = dimension ? dimensionsOf(form.measure).find(d => d.name === dimension)?.values : null;
  const columns = dimension ? [...new Set([...(declared ?? []), ...seen])].filter(c => declared ? true : seen.includes(c)) : [''];
  const time = grid(overTime, periods, r => dimension ? r.dimensions[dimension] : '', columns);
  const columnName = c => c === '' ? t('table.count') : c;

  const states = [...new Set(byState.rows.map(r => r.dimensions.state))].sort();
  const stateTotals = states.map(s => byState.rows.filter(r => r.dimensions.state === s).reduce((sum, r) => sum + r.count, 0));

  const timeCanvas = h('canvas', { role: 'img', 'aria-label': t('chart.timeLabel', { measure: named('measure', form.measure) }) });
  const stateCanvas = h('canvas', { role: 'img', 'aria-label': t('chart.stateLabel', { measure: named('measure', form.measure) }) });
  const table = h('table', { id: 'time-table' },
    h('caption', { class: 'sr-only' }, t('table.caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('table.period')), columns.map(c => h('th', { scope: 'col', class: 'num' }, columnName(c))))),
    h('tbody', {},
      periods.map(p => h('tr', {}, h('th', { scope: 'row' }, p), columns.map(c => valueCell(time.value(p, c), threshold)))),
      time.extra.map(r => h('tr', {}, h('th', { scope: 'row' }, `${r.period} (${t(`grain.${r.grain}`)})`),
        columns.map(c => (dimension ? r.dimensions[dimension] : '') === c ? valueCell(r.count, threshold) : valueCell(null, threshold))))));
  const stateTable = h('table', { id: 'state-table' },
    h('caption', { class: 'sr-only' }, t('table.stateCaption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dimension.state')), h('th', { scope: 'col', class: 'num' }, t('table.count')))),
    h('tbody', {}, states.map((s, i) => h('tr', {}, h('th', { scope: 'row' }, s), valueCell(stateTotals[i], threshold)))));

  replace(results,
    h('p', { class: 'notice', id: 'summary' }, t('dash.summary', { total: formatNumber(overTime.total), from: overTime.from, to: overTime.to, threshold })),
    h('section', { class: 'card', 'aria-labelledby': 'over-time' },
      h('h2', { id: 'over-time' }, t('chart.time')),
      h('div', { class: 'chart-box' }, timeCanvas),
      h('p', { class: 'legend-note' }, t('chart.gaps', { threshold }))),
    h('section', { class: 'card', 'aria-labelledby': 'by-state' },
      h('h2', { id: 'by-state' }, t('chart.state')),
      h('div', { class: 'chart-box' }, stateCanvas)),
    h('section', { class: 'card', 'aria-labelledby': 'table-title' },
      h('h2', { id: 'table-title' }, t('table.title')),
      h('div', { class: 'wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'table-title' }, table),
      h('h3', { id: 'state-table-title' }, t('table.stateCaption')),
      h('div', { class: 'wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'state-table-title' }, stateTable),
      h('p', { class: 'legend-note' }, overTime.disclosure)));

  if (typeof window.Chart !== 'function') return; // the table carries the same numbers
  const common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: columns.length > 1 } } };
  charts.push(new window.Chart(timeCanvas, {
    type: 'line',
    data: {
      labels: periods,
      // null, not 0: a suppressed cell is a gap in the line.
      datasets: columns.map((c, i) => ({ label: columnName(c), data: periods.map(p => time.value(p, c)), spanGaps: false,
        borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], pointRadius: 3 })),
    },
    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }));
  charts.push(new window.Chart(stateCanvas, {
    type: 'bar',
    data: { labels: states, datasets: [{ label: t('table.count'), data: stateTotals, backgroundColor: palette[0] }] },
    options: { ...common, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }));
}

async function signOut() {
  last = null;
  await call('/app/analytics/session/logout', { method: 'POST', json: {} }).catch(() => {});
  await show();
}

function renderChrome(signedIn) {
  document.getElementById('brand').textContent = t('app.name');
  document.getElementById('lang-label').textContent = t('app.language');
  document.querySelector('.skip').textContent = t('app.skip');
  signOutButton.textContent = t('app.signOut');
  signOutButton.hidden = !signedIn;
  replace(languageSelect, languages.map(l => h('option', { value: l.code, selected: l.code === language(), lang: l.code }, l.name)));
}

async function show() {
  const signedIn = csrfToken() !== '';
  renderChrome(signedIn);
  document.title = `${t(signedIn ? 'dash.title' : 'signin.title')} · ${t('app.name')}`;
  if (signedIn) dashboardScreen();
  else signInScreen();
  main.querySelector('h1')?.setAttribute('tabindex', '-1');
}

signOutButton.addEventListener('click', signOut);
languageSelect.addEventListener('change', async () => {
  await setLanguage(languageSelect.value);
  await show();
});

await setLanguage(preferredLanguage());
await show();
