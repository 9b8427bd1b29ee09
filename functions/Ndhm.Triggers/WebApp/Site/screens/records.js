import { h, replace, field } from '../dom.js';
import { t, formatDate, formatBytes } from '../i18n.js';
import { get, request, download } from '../api.js';
import { renderBundle } from './fhir.js';

// The timeline of the patient's records, newest first: pulled FHIR documents rendered in place, uploads downloadable.
export async function records(view) {
  const list = h('ol', { class: 'timeline', 'aria-label': t('records.timeline') });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('records.more'));
  let continuation = null;

  async function load() {
    const page = await get(`/v1/patients/me/health-records${continuation ? `?continuationToken=${encodeURIComponent(continuation)}` : ''}`);
    for (const record of page.records) list.append(item(record));
    continuation = page.continuationToken ?? null;
    more.hidden = !continuation;
    if (!list.children.length) list.append(h('li', { class: 'card muted' }, t('records.empty')));
  }
  more.addEventListener('click', load);

  replace(view, h('h1', {}, t('records.title')), upload(async () => { list.replaceChildren(); continuation = null; await load(); }), list, more);
  await load();
}

function item(record) {
  const body = h('div', { class: 'record-body' });
  const open = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false' }, t('records.open'));
  open.addEventListener('click', async () => {
    if (open.getAttribute('aria-expanded') === 'true') {
      body.replaceChildren();
      open.setAttribute('aria-expanded', 'false');
      open.textContent = t('records.open');
      return;
    }
    open.disabled = true;
    try {
      if (record.source === 'UPLOADED') {
        await download(`/v1/patients/me/health-records/${encodeURIComponent(record.id)}/attachment`, record.contentType, record.fileName ?? record.id);
      } else {
        const detail = await get(`/v1/patients/me/health-records/${encodeURIComponent(record.id)}`);
        body.replaceChildren(renderBundle(detail.bundle));
        open.setAttribute('aria-expanded', 'true');
        open.textContent = t('records.close');
      }
    } finally {
      open.disabled = false;
    }
  });
  return h('li', { class: 'record', 'data-hitype': record.hiType },
    h('article', { class: 'card' },
      h('h2', {}, record.title ?? t(`hiType.${record.hiType}`)),
      h('p', { class: 'muted small' },
        h('time', { datetime: record.recordDate }, formatDate(record.recordDate)), ' · ',
        h('span', { class: 'tag' }, t(`hiType.${record.hiType}`)), ' · ',
        record.source === 'UPLOADED' ? t('records.uploaded', { size: formatBytes(record.sizeBytes) }) : t('records.from', { hip: record.hipId ?? '' })),
      body,
      h('div', { class: 'actions' }, open)));
}

function upload(reload) {
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const form = h('form', { class: 'card upload' },
    h('h2', {}, t('upload.title')),
    field(t('upload.file'), { type: 'file', name: 'file', accept: 'application/pdf,image/jpeg,image/png', required: true, id: 'upload-file' }, t('upload.fileHint')),
    h('div', { class: 'grid2' },
      field(t('upload.name'), { name: 'title', maxlength: 120, id: 'upload-title' }),
      field(t('upload.date'), { type: 'date', name: 'date', id: 'upload-date' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('upload.submit'))), status);
  const wrapper = h('details', { class: 'upload-box' }, h('summary', { class: 'button secondary' }, t('upload.open')), form);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const file = form.file.files[0];
    if (!file) {
      status.textContent = t('upload.pick');
      status.className = 'error';
      return;
    }
    const query = new URLSearchParams({ fileName: file.name });
    if (form.title.value.trim()) query.set('title', form.title.value.trim());
    if (form.date.value) query.set('date', form.date.value);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await request(`/v1/patients/me/health-records?${query}`, { method: 'POST', body: file, headers: { 'Content-Type': file.type || 'application/octet-stream' } });
      status.className = 'notice';
      status.textContent = t('upload.done', { name: file.name });
      form.reset();
      await reload();
    } catch (error) {
      status.className = 'error';
      status.textContent = t('app.error', { message: error.message });
    } finally {
      button.disabled = false;
    }
  });
  return wrapper;
}
