#!/usr/bin/env node
// Load figures for the registry over HTTP against a running sandbox host (no dependencies; Node 20+).
//   node tests/Ndhm.Benchmarks/Registry/registry-load.mjs [baseUrl] [facilities] [concurrency]
// defaults: http://localhost:7071 200 8. Uses the sandbox token endpoint, so it only runs against the sandbox.
// Registers <facilities> facilities scattered within ~30 km of a point in a district no one else uses, then times
// reads, filtered searches, distance searches and paging, and prints latency percentiles.
const base = (process.argv[2] ?? 'http://localhost:7071').replace(/\/$/, '');
const total = Number(process.argv[3] ?? 200);
const concurrency = Number(process.argv[4] ?? 8);
const district = 'Load ' + Math.random().toString(36).slice(2, 10);
const centre = { lat: 12.9716, lon: 77.5946 }; // Bengaluru

async function call(method, path, token, body, headers = {}) {
  const started = performance.now();
  const response = await fetch(base + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return { ms, json: text ? JSON.parse(text) : null, etag: response.headers.get('etag') };
}

async function token(roles) {
  return (await call('POST', '/api/sandbox/tokens', null, { subject: 'load-' + roles[0].toLowerCase(), roles })).json.accessToken;
}

function stats(name, samples) {
  const s = [...samples].sort((a, b) => a - b);
  const p = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(1);
  console.log(`${name.padEnd(34)} n=${String(s.length).padStart(4)}  p50=${p(0.5).padStart(7)} ms  p95=${p(0.95).padStart(7)} ms  max=${s[s.length - 1].toFixed(1).padStart(7)} ms`);
}

async function pool(count, work) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) results.push(await work(next++));
  }));
  return results;
}

const admin = await token(['PLATFORM_ADMIN']);
const hiu = await token(['HIU']);
const facility = (i) => {
  const angle = Math.random() * 2 * Math.PI, km = Math.random() * 30;
  return {
    facilityName: `Load Facility ${i}`, facilityType: ['Hospital', 'Clinic', 'Diagnostic Lab', 'Pharmacy'][i % 4],
    ownership: ['Government', 'Private', 'PPP'][i % 3], systemsOfMedicine: ['Modern Medicine'],
    address: { addressLine: `${i} Road`, district, stateCode: '29', pincode: String(560001 + (i % 50)) },
    geoLocation: { latitude: centre.lat + (km / 111.2) * Math.sin(angle), longitude: centre.lon + (km / (111.2 * Math.cos(centre.lat * Math.PI / 180))) * Math.cos(angle) },
    contact: { phone: '+91 80 1234 5678' },
  };
};

console.log(`registry load: ${base}, ${total} facilities, concurrency ${concurrency}, district "${district}"`);
const wall = performance.now();
const created = await pool(total, (i) => call('POST', '/api/v1/facilities', admin, facility(i)));
const seconds = (performance.now() - wall) / 1000;
stats('POST /v1/facilities (register)', created.map((r) => r.ms));
console.log(`  throughput ${(total / seconds).toFixed(1)} registrations/s`);
const ids = created.map((r) => r.json.facilityId);
stats('GET /v1/facilities/{id}', (await pool(100, (i) => call('GET', `/api/v1/facilities/${ids[i % ids.length]}`, hiu))).map((r) => r.ms));
const d = `district=${encodeURIComponent(district)}`;
stats('search district+type (page 20)', (await pool(50, () => call('GET', `/api/v1/facilities?${d}&type=clinic`, hiu))).map((r) => r.ms));
stats('search name prefix (page 20)', (await pool(50, () => call('GET', `/api/v1/facilities?${d}&name=load%20facility%201`, hiu))).map((r) => r.ms));
stats('search distance 10 km (page 20)', (await pool(50, () => call('GET', `/api/v1/facilities?${d}&lat=${centre.lat}&lon=${centre.lon}&radiusKm=10`, hiu))).map((r) => r.ms));

// Page through every facility of the district, 50 at a time, and check each comes back once.
const seen = new Set();
let continuation = null, pages = 0;
const pageStarted = performance.now();
do {
  const r = await call('GET', `/api/v1/facilities?${d}&pageSize=50` + (continuation ? `&continuationToken=${encodeURIComponent(continuation)}` : ''), hiu);
  r.json.facilities.forEach((f) => seen.add(f.facilityId));
  continuation = r.json.continuationToken ?? null;
  pages++;
} while (continuation && pages < 1000);
console.log(`paging ${seen.size}/${total} facilities in ${pages} pages of 50: ${(performance.now() - pageStarted).toFixed(0)} ms total`);
if (seen.size !== total) process.exitCode = 1;
