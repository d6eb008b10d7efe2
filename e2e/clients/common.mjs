// What the client scripts share (run by ../clients_test.go): the gateway's
// URL and credentials, a fetch that records what a client sent and got, the
// same request sent again with plain fetch ("the wire"), and the checks.
//
// Each script prints what it finds on stderr and one line "RESULT {json}" on
// stdout: {client, version, checks: [{name, ok, detail}], values: {...}}. The
// Go test makes the assertions; a script exits non-zero only when it cannot
// run at all.

export const url = process.env.GRAPHQL_URL;
if (!url) {
  console.error('GRAPHQL_URL is not set (the gateway endpoint, http://host:port/graphql)');
  process.exit(2);
}

// The README's authentication: HTTP Basic with an Odoo login and password
// (or API key). GRAPHQL_LOGIN is login:password, demo:demo by default: the
// demo database's "Marc Demo", an internal user with limited rights, so that
// the records a client creates show who made them.
export const login = process.env.GRAPHQL_LOGIN || 'demo:demo';
export const basicAuth = (credentials) => 'Basic ' + Buffer.from(credentials).toString('base64');
export const headers = { authorization: basicAuth(login) };

// recordingFetch is the fetch given to the clients: it keeps the last request
// body (query and variables, as the client sent them) and response of each
// operation name.
export const sent = new Map();
export const requestMethods = new Set();
export const fetches = { count: 0 };
export async function recordingFetch(input, init = {}) {
  fetches.count++;
  const res = await fetch(input, { ...init, signal: init.signal ?? AbortSignal.timeout(30_000) });
  let request;
  try {
    if ((init.method ?? 'GET').toUpperCase() === 'GET') {
      // A query sent with GET: its parameters are in the URL.
      const p = new URL(String(input)).searchParams;
      request = { query: p.get('query'), operationName: p.get('operationName') ?? undefined };
      if (p.get('variables')) request.variables = JSON.parse(p.get('variables'));
      requestMethods.add('GET');
    } else {
      request = JSON.parse(init.body);
      requestMethods.add(init.method.toUpperCase());
    }
  } catch {
    return res;
  }
  const name = request.operationName ?? (/\b(?:query|mutation)\s+(\w+)/.exec(request.query)?.[1] || '');
  const body = await res.clone().json().catch(() => undefined);
  sent.set(name, { request, status: res.status, body });
  return res;
}

// wire sends the request the client last sent for operation name again, with
// plain fetch and the same credentials, and returns the response's data.
export async function wire(name) {
  const rec = sent.get(name);
  if (!rec) throw new Error(`the client sent no operation ${name}`);
  const body = await post(rec.request);
  if (body.errors) throw new Error(`${name} on the wire: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// post sends one GraphQL request with plain fetch.
export async function post(request, credentials = login) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: basicAuth(credentials) },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(30_000),
  });
  return res.json();
}

// canonical is JSON with object keys sorted: equal values, equal strings,
// whatever order a cache wrote the keys in.
export function canonical(v) {
  return JSON.stringify(v, (_, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]]))
      : x,
  );
}

// maskAdded drops the fields named in keys from v wherever like (a value of
// the same shape) has none: the fields a client added to what it sent
// (__typename, Relay's nodeId) but leaves out of what it reads.
export function maskAdded(v, like, keys) {
  if (Array.isArray(v)) return v.map((x, i) => maskAdded(x, Array.isArray(like) ? like[i] : undefined, keys));
  if (!v || typeof v !== 'object') return v;
  const isObject = like && typeof like === 'object';
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    if (keys.includes(k) && isObject && !(k in like)) continue;
    out[k] = maskAdded(x, isObject ? like[k] : undefined, keys);
  }
  return out;
}

export const checks = [];
export const values = {};

// check records one assertion.
export function check(name, ok, detail = '') {
  checks.push({ name, ok: !!ok, detail: ok ? '' : String(detail).slice(0, 2000) });
  if (!ok) console.error(`FAIL ${name}: ${detail}`);
}

// same checks that what a cache read gave equals what the wire gives.
export function same(name, fromCache, fromWire) {
  const a = canonical(fromCache);
  const b = canonical(fromWire);
  check(name, fromCache != null && a === b, `cache ${a}\n wire ${b}`);
}

// step runs one part of a scenario; an exception fails that part only.
export async function step(name, fn) {
  const start = Date.now();
  try {
    await fn();
  } catch (e) {
    check(name, false, `threw: ${e?.stack ?? e}`);
  }
  console.error(`${name}: ${Date.now() - start} ms`);
}

export function report(client, version) {
  console.log('RESULT ' + JSON.stringify({ client, version, checks, values }));
}
