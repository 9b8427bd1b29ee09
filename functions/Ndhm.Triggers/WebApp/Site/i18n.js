// Texts come from the language files (i18n/<code>.json, offered as the page's data-languages): adding a language
// adds a file and touches no code. Dates and numbers use the language's Indian locale (en-IN, hi-IN, ...).
const root = document.documentElement;
export const assets = root.dataset.assets;
export const languages = JSON.parse(root.dataset.languages || '[{"code":"en","name":"English"}]');
let texts = {};
let fallback = {};
let current = 'en';

export function language() { return current; }
export function locale() { return `${current}-IN`; }

async function fetchTexts(code) {
  const response = await fetch(`${assets}/${root.dataset.texts || 'i18n'}/${code}.json`);
  if (!response.ok) throw new Error(`language ${code}: ${response.status}`);
  return response.json();
}

export async function setLanguage(code) {
  if (!languages.some(l => l.code === code)) code = 'en';
  if (code !== 'en' && Object.keys(fallback).length === 0) fallback = await fetchTexts('en');
  texts = await fetchTexts(code);
  if (code === 'en') fallback = texts;
  current = code;
  root.lang = code;
  try { localStorage.setItem('lang', code); } catch { /* private mode: the choice lasts the visit */ }
}

export function preferredLanguage() {
  let saved = null;
  try { saved = localStorage.getItem('lang'); } catch { /* ignore */ }
  if (saved && languages.some(l => l.code === saved)) return saved;
  const browser = (navigator.languages ?? [navigator.language]).map(l => l.slice(0, 2));
  return browser.find(b => languages.some(l => l.code === b)) ?? 'en';
}

/** The text for a key, with {name} placeholders filled; the key itself if no language has it (visible, never blank). */
export function t(key, vars) {
  const text = texts[key] ?? fallback[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? '')) : text;
}

export function formatDate(value, withTime = false) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const options = withTime
    ? { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'Asia/Kolkata' }
    : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Asia/Kolkata' };
  return new Intl.DateTimeFormat(locale(), options).format(date);
}

export function formatNumber(value, options) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, { maximumFractionDigits: 1 })} KB`;
  return `${formatNumber(bytes / 1024 / 1024, { maximumFractionDigits: 1 })} MB`;
}
