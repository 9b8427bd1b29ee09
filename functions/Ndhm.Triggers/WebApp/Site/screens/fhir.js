import { h } from '../dom.js';
import { t, formatDate, formatNumber } from '../i18n.js';

// Renders a FHIR R4 document bundle as the patient reads it: what was found, prescribed, measured or given,
// resource by resource (the Composition's sections order them; anything unknown is named, never dropped).
const text = concept => concept?.text ?? concept?.coding?.[0]?.display ?? concept?.coding?.[0]?.code ?? '';

function quantity(q) {
  if (!q || q.value === undefined) return '';
  return `${formatNumber(q.value)} ${q.unit ?? q.code ?? ''}`.trim();
}

function range(ranges) {
  const r = ranges?.[0];
  if (!r) return '';
  if (r.text) return r.text;
  const low = r.low ? quantity(r.low) : '';
  const high = r.high ? quantity(r.high) : '';
  return low && high ? `${low} – ${high}` : low ? `≥ ${low}` : high ? `≤ ${high}` : '';
}

function outOfRange(observation) {
  const value = observation.valueQuantity?.value;
  const r = observation.referenceRange?.[0];
  if (value === undefined || !r) return false;
  return (r.low?.value !== undefined && value < r.low.value) || (r.high?.value !== undefined && value > r.high.value);
}

function dosage(request) {
  return (request.dosageInstruction ?? []).map(d => {
    if (d.text) return d.text;
    const dose = d.doseAndRate?.[0]?.doseQuantity ? quantity(d.doseAndRate[0].doseQuantity) : '';
    const repeat = d.timing?.repeat;
    const timing = repeat ? t('fhir.timing', { frequency: repeat.frequency ?? 1, period: repeat.period ?? 1, unit: repeat.periodUnit ?? 'd' }) : text(d.timing?.code);
    return [dose, timing, text(d.route), d.additionalInstruction?.map(text).join(', ')].filter(Boolean).join(' · ');
  }).join('; ');
}

const renderers = {
  Composition: r => h('div', { class: 'fhir-composition' }, h('h3', {}, r.title ?? text(r.type)), r.date ? h('p', { class: 'muted small' }, formatDate(r.date, true)) : null),
  Condition: r => h('p', {}, h('strong', {}, t('fhir.condition')), ' ', text(r.code)),
  MedicationRequest: r => h('div', { class: 'fhir-medication' },
    h('p', {}, h('strong', {}, text(r.medicationCodeableConcept) || r.medicationReference?.display || t('fhir.medication'))),
    h('p', { class: 'small' }, t('fhir.dosage'), ': ', dosage(r) || '—')),
  MedicationStatement: r => h('p', {}, text(r.medicationCodeableConcept), ' ', h('span', { class: 'muted small' }, dosage(r))),
  Observation: r => {
    const value = r.valueQuantity ? quantity(r.valueQuantity) : r.valueString ?? text(r.valueCodeableConcept);
    const out = outOfRange(r);
    return h('tr', { class: 'fhir-observation' }, h('td', {}, text(r.code)),
      h('td', { class: out ? 'out' : null }, value, out ? h('span', { class: 'sr-only' }, ` (${t('fhir.outOfRange')})`) : null),
      h('td', { class: 'muted' }, range(r.referenceRange)));
  },
  DiagnosticReport: r => h('p', {}, h('strong', {}, text(r.code)), r.conclusion ? ` — ${r.conclusion}` : ''),
  Immunization: r => h('p', { class: 'fhir-immunization' }, h('strong', {}, text(r.vaccineCode)), ' · ',
    formatDate(r.occurrenceDateTime), r.protocolApplied?.[0]?.doseNumberPositiveInt ? ` · ${t('fhir.dose', { n: r.protocolApplied[0].doseNumberPositiveInt })}` : '',
    r.lotNumber ? ` · ${t('fhir.lot')} ${r.lotNumber}` : ''),
  AllergyIntolerance: r => h('p', {}, h('strong', {}, t('fhir.allergy')), ' ', text(r.code)),
  Procedure: r => h('p', {}, h('strong', {}, t('fhir.procedure')), ' ', text(r.code)),
  Encounter: r => h('p', { class: 'muted small' }, t('fhir.encounter'), ' ', formatDate(r.period?.start, true), r.period?.end ? ` – ${formatDate(r.period.end, true)}` : ''),
  Practitioner: r => h('p', { class: 'muted small' }, t('fhir.practitioner'), ' ', r.name?.[0]?.text ?? [r.name?.[0]?.prefix, r.name?.[0]?.given, r.name?.[0]?.family].flat().filter(Boolean).join(' ')),
  Organization: r => h('p', { class: 'muted small' }, t('fhir.organization'), ' ', r.name ?? ''),
  DocumentReference: r => h('p', {}, h('strong', {}, t('fhir.document')), ' ', r.description ?? text(r.type)),
  CarePlan: r => h('p', {}, h('strong', {}, t('fhir.carePlan')), ' ', r.description ?? r.title ?? ''),
  Appointment: r => h('p', {}, h('strong', {}, t('fhir.followUp')), ' ', formatDate(r.start, true), r.description ? ` — ${r.description}` : ''),
};

const quiet = new Set(['Patient', 'Binary', 'Specimen', 'Medication']);

export function renderBundle(bundle) {
  const resources = (bundle?.entry ?? []).map(e => e.resource).filter(Boolean);
  const observations = resources.filter(r => r.resourceType === 'Observation');
  const blocks = [];
  for (const resource of resources) {
    if (resource.resourceType === 'Observation' || quiet.has(resource.resourceType)) continue;
    const render = renderers[resource.resourceType];
    blocks.push(render ? render(resource) : h('p', { class: 'muted small' }, resource.resourceType));
    if (resource.resourceType === 'Composition' && resource.section?.length) {
      blocks.push(h('p', { class: 'muted small' }, resource.section.map(s => s.title).filter(Boolean).join(' · ')));
    }
  }
  if (observations.length) {
    blocks.push(h('div', { class: 'wrap', tabindex: 0, role: 'region', 'aria-label': t('fhir.results') }, h('table', { class: 'fhir-labs' },
      h('caption', { class: 'sr-only' }, t('fhir.results')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('fhir.test')), h('th', { scope: 'col' }, t('fhir.value')), h('th', { scope: 'col' }, t('fhir.range')))),
      h('tbody', {}, observations.map(renderers.Observation)))));
  }
  return h('div', { class: 'fhir' }, blocks);
}
