// graphql-js round trip against a live odoogql (run by ../graphqljs_test.go):
//
//  1. fetch the standard introspection query (getIntrospectionQuery()) from
//     the endpoint, and the extended one (every option on);
//  2. buildClientSchema from each answer;
//  3. compare with buildSchema(schema.graphqls): printSchema of both,
//     lexicographically sorted, and findBreakingChanges/findDangerousChanges
//     both ways;
//  4. validate realistic client operations against the client schema (zero
//     errors expected), run them on the endpoint, and check that one invalid
//     operation is rejected by graphql-js and by the gateway alike.
//
// Usage: GRAPHQL_URL=http://127.0.0.1:8080/graphql node roundtrip.mjs ../../schema.graphqls
// Prints what it finds on stderr, and one line "RESULT {json}" on stdout for
// the Go test, which makes the assertions. Exits non-zero on a failed check.
import fs from 'node:fs';
import {
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  getIntrospectionQuery,
  lexicographicSortSchema,
  parse,
  printSchema,
  validate,
  version,
} from 'graphql';

const url = process.env.GRAPHQL_URL;
const schemaPath = process.argv[2];
if (!url || !schemaPath) {
  console.error('usage: GRAPHQL_URL=http://host/graphql node roundtrip.mjs path/to/schema.graphqls');
  process.exit(2);
}

const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error('FAIL:', msg);
};

async function post(query, variables) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await res.json();
  return { status: res.status, body };
}

// 1-2. Introspection → client schema.
const clients = {};
for (const [name, options] of [
  ['standard', undefined],
  ['extended', { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true }],
]) {
  const { status, body } = await post(getIntrospectionQuery(options));
  if (status !== 200 || body.errors) {
    fail(`${name} introspection: HTTP ${status} ${JSON.stringify(body.errors)}`);
    continue;
  }
  clients[name] = buildClientSchema(body.data);
}
const client = clients.standard;
const fromFile = buildSchema(fs.readFileSync(schemaPath, 'utf8'));

// 3. Comparison.
const printed = (s) => printSchema(lexicographicSortSchema(s));
// The definitions of a printed schema, by "kind name".
function definitions(sdl) {
  const defs = new Map();
  for (const block of sdl.split(/\n\n(?=(?:"""[\s\S]*?"""\n|"[^\n]*"\n)?(?:directive|scalar|type|interface|union|enum|input|schema)\b)/)) {
    const m = block.match(/^(?:"""[\s\S]*?"""\n|"[^\n]*"\n)?(directive @\w+|schema|\w+ \w+)/);
    defs.set(m ? m[1] : block.slice(0, 40), block.trim());
  }
  return defs;
}
function difference(a, b) {
  const da = definitions(printed(a));
  const db = definitions(printed(b));
  const out = [];
  for (const [k, v] of da) {
    if (!db.has(k)) out.push({ change: 'only in endpoint', definition: k, sdl: v });
    else if (db.get(k) !== v) out.push({ change: 'differs', definition: k, endpoint: v, file: db.get(k) });
  }
  for (const [k, v] of db) if (!da.has(k)) out.push({ change: 'only in file', definition: k, sdl: v });
  return out;
}
const changes = (f, a, b) => f(a, b).map((c) => `${c.type}: ${c.description}`);

const result = {
  graphqlVersion: version,
  introspections: Object.keys(clients),
  types: client ? Object.keys(client.getTypeMap()).filter((n) => !n.startsWith('__')).length : 0,
  fileTypes: Object.keys(fromFile.getTypeMap()).filter((n) => !n.startsWith('__')).length,
  differences: {},
  breaking: {},
  dangerous: {},
  operations: [],
  invalid: {},
};
for (const [name, s] of Object.entries(clients)) {
  result.differences[name] = difference(s, fromFile);
  result.breaking[`file→${name}`] = changes(findBreakingChanges, fromFile, s);
  result.breaking[`${name}→file`] = changes(findBreakingChanges, s, fromFile);
  result.dangerous[`file→${name}`] = changes(findDangerousChanges, fromFile, s);
  result.dangerous[`${name}→file`] = changes(findDangerousChanges, s, fromFile);
}
for (const d of result.differences.standard ?? []) console.error('difference:', JSON.stringify(d));

// 4. Client operations: validated against the client schema, then run.
const fragments = /* GraphQL */ `
  fragment PartnerCard on ResPartner {
    id
    name
    email
    country_id { code name }
  }
`;
const operations = [
  {
    name: 'Companies (list: where, orderBy, limit, totalCount)',
    query: `query Companies {
      resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 5) {
        totalCount
        nodes { id name country_id { code } child_ids(orderBy: [{name: ASC}]) { name } }
      }
    }`,
    check: (d) => d.resPartners.nodes[0]?.name === 'Azure Interior' && d.resPartners.totalCount >= d.resPartners.nodes.length,
  },
  {
    name: 'Sale order (by id, relations three deep, arguments on a one2many)',
    query: `query SaleOrder($id: ID!) {
      saleOrder(id: $id) {
        name state amount_total date_order
        partner_id { name country_id { name } }
        order_line(orderBy: [{price_subtotal: DESC}], limit: 3) {
          name product_uom_qty price_subtotal
          product_id { default_code name }
        }
      }
    }`,
    variables: { id: '1' },
    check: (d) => d.saleOrder && d.saleOrder.partner_id?.name && d.saleOrder.order_line.length > 0,
  },
  {
    name: 'Aliases, named and inline fragments, __typename, @include',
    query: `query Directory($withCountry: Boolean!) {
      companies: resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 2) {
        count: totalCount
        nodes { ...PartnerCard }
      }
      people: resPartners(where: {is_company: {eq: false}, parent_id: {id: {isSet: true}}}, limit: 2) {
        nodes {
          __typename
          ... on ResPartner { displayName: display_name }
          parent: parent_id { ...PartnerCard }
          country_id @include(if: $withCountry) { code }
        }
      }
    }
    ${fragments}`,
    variables: { withCountry: true },
    check: (d) => d.companies.nodes.length === 2 && d.people.nodes.every((n) => n.__typename === 'ResPartner' && n.parent?.name),
  },
  {
    name: 'Filters as variables: nested where, or/not, raw domain, pagination',
    query: `query Filtered($where: ResPartnerWhere, $domain: JSON, $order: [ResPartnerOrderBy!], $limit: Int, $offset: Int) {
      resPartners(where: $where, domain: $domain, orderBy: $order, limit: $limit, offset: $offset) {
        totalCount
        nodes { name email country_id { code } }
      }
    }`,
    variables: {
      where: { or: [{ country_id: { code: { eq: 'US' } } }, { email: { ilike: '@example.com' } }], not: { type: { eq: 'invoice' } } },
      domain: ['|', ['is_company', '=', true], ['parent_id', '!=', false]],
      order: [{ name: 'DESC' }],
      limit: 3,
      offset: 1,
    },
    check: (d) => d.resPartners.nodes.length > 0,
  },
  {
    name: 'Mutation: create',
    query: `mutation CreatePartner($input: ResPartnerCreateInput!) {
      createResPartner(input: $input) { id name email category_id { name } }
    }`,
    variables: { input: { name: 'Ada Lovelace', email: 'ada@example.com', is_company: false, type: 'contact' } },
    check: (d, ctx) => {
      ctx.id = d.createResPartner.id;
      return d.createResPartner.name === 'Ada Lovelace';
    },
  },
  {
    name: 'Mutation: update',
    query: `mutation UpdatePartner($ids: [ID!]!, $input: ResPartnerUpdateInput!) {
      updateResPartner(ids: $ids, input: $input) { id email }
    }`,
    variables: (ctx) => ({ ids: [ctx.id], input: { email: 'ada.lovelace@example.com' } }),
    check: (d, ctx) => d.updateResPartner.length === 1 && d.updateResPartner[0].email === 'ada.lovelace@example.com',
  },
  {
    name: 'Mutation: delete',
    query: `mutation DeletePartner($ids: [ID!]!) { deleteResPartner(ids: $ids) { ids nodeIds } }`,
    variables: (ctx) => ({ ids: [ctx.id] }),
    check: (d, ctx) => d.deleteResPartner.ids.length === 1 && d.deleteResPartner.ids[0] === ctx.id && d.deleteResPartner.nodeIds.length === 1,
  },
  {
    name: 'Deleted record is gone',
    query: `query Partner($id: ID!) { resPartner(id: $id) { id } }`,
    variables: (ctx) => ({ id: ctx.id }),
    check: (d) => d.resPartner === null,
  },
];

const ctx = {};
for (const op of operations) {
  const doc = parse(op.query);
  const errors = client ? validate(client, doc) : [new Error('no client schema')];
  const fileErrors = validate(fromFile, doc);
  const entry = { name: op.name, validationErrors: errors.map(String), fileValidationErrors: fileErrors.map(String) };
  result.operations.push(entry);
  if (errors.length || fileErrors.length) {
    fail(`${op.name}: ${[...errors, ...fileErrors].join('; ')}`);
    continue;
  }
  const variables = typeof op.variables === 'function' ? op.variables(ctx) : op.variables;
  const { status, body } = await post(op.query, variables);
  entry.status = status;
  entry.errors = body.errors ?? [];
  entry.ok = status === 200 && !body.errors && Boolean(body.data) && Boolean(op.check(body.data, ctx));
  if (!entry.ok) fail(`${op.name}: HTTP ${status} ${JSON.stringify(body).slice(0, 500)}`);
}

// One invalid operation: a wrong value type and a field that does not exist.
const invalid = `{ resPartners(where: {is_company: {eq: "yes"}}) { nodes { name nosuchfield } } }`;
result.invalid.validationErrors = client ? validate(client, parse(invalid)).map((e) => e.message) : [];
{
  const { status, body } = await post(invalid);
  result.invalid.status = status;
  result.invalid.serverErrors = (body.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code }));
}

console.log('RESULT ' + JSON.stringify(result));
if (failures.length) process.exit(1);
