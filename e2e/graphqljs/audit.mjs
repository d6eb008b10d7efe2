// The GraphQL-over-HTTP audit of graphql-http (the reference
// implementation of the spec's server requirements) against the gateway at
// GRAPHQL_URL. Run by e2e/graphqljs_test.go (TestGraphQLHTTPAudit), which
// fails on any MUST failure (status "error") or SHOULD warning (status
// "warn"); MAY audits that fail are notices and only reported.
//
// Prints one line: RESULT {"version": ..., "results": [{id, name, status,
// reason, httpStatus, body}], "preflight": [...]}, body and httpStatus only
// for audits that did not pass; "preflight" are the results of the same
// audit with an Apollo-Require-Preflight header on every request, which
// the gateway's CSRF prevention asks of a GET.
import { readFileSync } from 'node:fs';
import { auditServer } from 'graphql-http';

const url = process.env.GRAPHQL_URL;
if (!url) {
  console.error('GRAPHQL_URL is not set');
  process.exit(2);
}

const { version } = JSON.parse(
  readFileSync(new URL('./node_modules/graphql-http/package.json', import.meta.url), 'utf8'),
);

async function audit(fetchFn) {
  const results = [];
  for (const r of await auditServer({ url, fetchFn })) {
    const entry = { id: r.id, name: r.name, status: r.status };
    if (r.status !== 'ok') {
      entry.reason = r.reason;
      entry.httpStatus = r.response?.status;
      try {
        entry.body = (await r.response.text()).slice(0, 1000);
      } catch {
        // the audit read the body already
      }
    }
    results.push(entry);
  }
  return results;
}

// As a browser or curl sends them; then as a script that proves it is one
// (Apollo-Require-Preflight, which CSRF prevention asks of a GET).
const results = await audit(fetch);
const preflight = await audit((input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('apollo-require-preflight', 'true');
  return fetch(input, { ...init, headers });
});
console.log('RESULT ' + JSON.stringify({ version, results, preflight }));
