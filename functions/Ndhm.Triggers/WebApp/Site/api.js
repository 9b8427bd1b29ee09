// The platform's API, called with the web session's cookies. The patient's tokens are HttpOnly cookies this code
// never sees; unsafe requests carry the session's CSRF token (readable cookie ndhm_csrf) in X-CSRF-Token.
const base = document.documentElement.dataset.api;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || problem?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.code = problem?.code ?? problem?.error?.code;
  }
}

function csrfToken() {
  const match = document.cookie.split('; ').find(c => c.startsWith('ndhm_csrf='));
  return match ? decodeURIComponent(match.slice('ndhm_csrf='.length)) : '';
}

let refreshing = null;

async function refreshSession() {
  refreshing ??= fetch(`${base}/app/session/refresh`, { method: 'POST', credentials: 'same-origin' })
    .then(r => r.ok).finally(() => { refreshing = null; });
  return refreshing;
}

export async function request(path, { method = 'GET', json, body, headers = {}, raw = false, retry = true } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }
  if (!['GET', 'HEAD'].includes(method)) init.headers['X-CSRF-Token'] = csrfToken();
  const response = await fetch(`${base}${path}`, init);
  if (response.status === 401 && retry && !path.startsWith('/app/session') && csrfToken()) {
    if (await refreshSession()) return request(path, { method, json, body, headers, raw, retry: false });
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* no body */ }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = (path, options) => request(path, options);
export const post = (path, json, options) => request(path, { ...options, method: 'POST', json });
export const put = (path, json) => request(path, { method: 'PUT', json });
export const del = path => request(path, { method: 'DELETE' });
export const hasSession = () => csrfToken() !== '';

/** Downloads a response as a file, named as the server names it. */
export async function download(path, accept, fallbackName) {
  const response = await request(path, { headers: { Accept: accept }, raw: true });
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, size: blob.size };
}
