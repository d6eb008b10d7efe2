// The scenario the normalized-cache clients run (Apollo Client 3 and 4, urql
// with Graphcache), each through an adapter:
//
//   parse(source)              → the client's DocumentNode
//   query(doc, variables)      → data, fetched from the network (the cache is written)
//   mutate(doc, variables)     → data
//   readQuery(doc, variables)  → data read from the cache alone, or null (may be a promise)
//   readFragment(key, doc)     → an entity read from the cache alone, or null (may be a promise)
//   identify(typename, id)     → the cache key of an entity
//   badLogin()                 → the error of a query sent with a wrong password
//   hidesAddedTypename         → whether results leave out the __typename
//                                fields the client added to a query (urql 6)
//
// Every cache read is compared with what the gateway answers to the same
// request, sent again with plain fetch (common.mjs: wire). The caches run with
// their defaults: an entity's key is its __typename and id.
import { check, maskAdded, post, same as sameAs, step, values, wire } from './common.mjs';

// The README's tour queries, adapted: ids selected, so that the records are
// normalized, and an operation name each.
const COMPANIES = `query Companies {
  resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 5) {
    totalCount
    nodes { id name country_id { id code } child_ids { id name } }
  }
}`;
const SALE_ORDER = `query SaleOrder {
  saleOrder(id: "1") {
    id name state date_order amount_total
    partner_id { id name country_id { id name } }
    order_line(orderBy: [{price_subtotal: DESC}], limit: 3) { id name product_uom_qty price_subtotal product_id { id default_code } }
  }
}`;
const FILTERS = `query Filters {
  resPartners(
    where: {or: [{country_id: {code: {eq: "US"}}}, {email: {ilike: "@example.com"}}], not: {type: {eq: invoice}}}
    domain: ["|", ["is_company", "=", true], ["parent_id", "!=", false]]
  ) { totalCount nodes { id name email } }
}`;

// Deco Addict's payment term and supplier location are records of two models
// the API does not expose, with the same id (4): two types, two entities.
const DECO_ADDICT = `query DecoAddict($id: ID!) {
  resPartner(id: $id) {
    id nodeId name
    property_payment_term_id { id nodeId display_name }
    property_stock_supplier { id nodeId display_name }
  }
}`;
const DECO_RELATIONS = `fragment DecoRelations on ResPartner {
  id name
  property_payment_term_id { id display_name }
  property_stock_supplier { id display_name }
}`;
const TERM = `fragment Term on AccountPaymentTerm { id nodeId display_name }`;
const LOCATION = `fragment Location on StockLocation { id nodeId display_name }`;

const NODE = `query NodeRefetch($nodeId: ID!) {
  node(nodeId: $nodeId) { __typename nodeId ... on ResPartner { id name email } }
}`;

const CREATE = `mutation CreateContact($input: ResPartnerCreateInput!) {
  createResPartner(input: $input) { id name email parent_id { id name } create_uid { id name } }
}`;
const CONTACTS = `query Contacts($ids: [ID!]) {
  resPartners(where: {id: {in: $ids}}) { totalCount nodes { id name email } }
}`;
const RENAME = `mutation RenameContact($ids: [ID!]!, $input: ResPartnerUpdateInput!) {
  updateResPartner(ids: $ids, input: $input) { id name email }
}`;
const CONTACT = `fragment Contact on ResPartner { id name email parent_id { id name } }`;
const CONTACT_WIRE = `query ($id: ID!) { resPartner(id: $id) { __typename id name email parent_id { __typename id name } } }`;

const PAGE = `query PartnersPage($limit: Int, $offset: Int) {
  resPartners(orderBy: [{id: ASC}], limit: $limit, offset: $offset) { totalCount nodes { id name } }
}`;
const CONNECTION = `query PartnersConnection($first: Int, $after: String, $last: Int, $before: String) {
  resPartners(orderBy: [{id: ASC}], first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const ids = (list) => list.map((n) => n.id);

export async function runScenario(c, label) {
  // urql 6 hides from its results the __typename fields it added to a query
  // itself: those are left out of the wire's answer too.
  const same = (name, fromCache, fromWire) =>
    sameAs(name, fromCache, c.hidesAddedTypename ? maskAdded(fromWire, fromCache, ['__typename']) : fromWire);
  const d = Object.fromEntries(
    Object.entries({
      COMPANIES, SALE_ORDER, FILTERS, DECO_ADDICT, DECO_RELATIONS, TERM, LOCATION, NODE,
      CREATE, CONTACTS, RENAME, CONTACT, PAGE, CONNECTION,
    }).map(([k, v]) => [k, c.parse(v)]),
  );

  // The tour: each answer, read back from the cache, is the wire's.
  await step('tour', async () => {
    for (const [name, doc] of [['Companies', d.COMPANIES], ['SaleOrder', d.SALE_ORDER], ['Filters', d.FILTERS]]) {
      const got = await c.query(doc);
      const cached = await c.readQuery(doc);
      same(`tour ${name}: cache = wire`, cached, await wire(name));
      same(`tour ${name}: cache = result`, cached, got);
    }
    const companies = (await c.readQuery(d.COMPANIES)).resPartners;
    values.companies = companies.nodes.map((n) => n.name);
    values.companiesTotal = companies.totalCount;
    values.saleOrder = (await c.readQuery(d.SALE_ORDER)).saleOrder.name;
    values.filtersTotal = (await c.readQuery(d.FILTERS)).resPartners.totalCount;
  });

  // Two relations to unexposed models sharing id 4: two cache entities.
  let decoNodeId;
  await step('twin ids', async () => {
    const vars = { id: '10' };
    await c.query(d.DECO_ADDICT, vars);
    const cached = await c.readQuery(d.DECO_ADDICT, vars);
    const w = await wire('DecoAddict');
    same('twin ids: DecoAddict cache = wire', cached, w);
    const p = w.resPartner;
    decoNodeId = p.nodeId;
    const termKey = c.identify(p.property_payment_term_id.__typename, p.property_payment_term_id.id);
    const locationKey = c.identify(p.property_stock_supplier.__typename, p.property_stock_supplier.id);
    values.twinKeys = [termKey, locationKey];
    check('twin ids: two cache keys', termKey && locationKey && termKey !== locationKey, `${termKey} / ${locationKey}`);
    same('twin ids: payment term entity = wire', await c.readFragment(termKey, d.TERM), p.property_payment_term_id);
    same('twin ids: supplier location entity = wire', await c.readFragment(locationKey, d.LOCATION), p.property_stock_supplier);
    const partner = await c.readFragment(c.identify('ResPartner', '10'), d.DECO_RELATIONS);
    same('twin ids: Deco Addict entity = wire', partner, {
      __typename: p.__typename, id: p.id, name: p.name,
      property_payment_term_id: { __typename: p.property_payment_term_id.__typename, id: p.property_payment_term_id.id, display_name: p.property_payment_term_id.display_name },
      property_stock_supplier: { __typename: p.property_stock_supplier.__typename, id: p.property_stock_supplier.id, display_name: p.property_stock_supplier.display_name },
    });
    values.twinNames = [partner?.property_payment_term_id?.display_name, partner?.property_stock_supplier?.display_name];
    values.twinTypes = [partner?.property_payment_term_id?.__typename, partner?.property_stock_supplier?.__typename];
  });

  // The root field node: the record it returns is the entity already cached.
  await step('node', async () => {
    const vars = { nodeId: decoNodeId };
    const got = await c.query(d.NODE, vars);
    same('node: cache = wire', await c.readQuery(d.NODE, vars), await wire('NodeRefetch'));
    check('node: same entity as resPartner(id: "10")',
      got.node && c.identify(got.node.__typename, got.node.id) === c.identify('ResPartner', '10'),
      JSON.stringify(got.node));
    values.nodeName = got.node?.name;
  });

  // A mutation: create, list, rename; the list read from the cache (no
  // refetch) shows the new name, as the wire does.
  await step('mutation', async () => {
    const name = `Ada Lovelace (${label})`;
    const created = (await c.mutate(d.CREATE, { input: { name, email: 'ada@example.com', parent_id: '10' } })).createResPartner;
    values.created = created;
    const key = c.identify('ResPartner', created.id);
    same('mutation: created entity = wire',
      await c.readFragment(key, d.CONTACT), (await post({ query: CONTACT_WIRE, variables: { id: created.id } })).data.resPartner);
    const vars = { ids: [created.id] };
    await c.query(d.CONTACTS, vars);
    const renamed = (await c.mutate(d.RENAME, { ids: [created.id], input: { name: `${name}, Countess` } })).updateResPartner;
    check('mutation: update answer', renamed.length === 1 && renamed[0].name === `${name}, Countess`, JSON.stringify(renamed));
    const list = await c.readQuery(d.CONTACTS, vars);
    same('mutation: list read from the cache after the update = wire', list, await wire('Contacts'));
    values.renamed = list?.resPartners.nodes.map((n) => n.name);
    same('mutation: updated entity = wire',
      await c.readFragment(key, d.CONTACT), (await post({ query: CONTACT_WIRE, variables: { id: created.id } })).data.resPartner);
  });

  // limit/offset pages: each cached apart (its own arguments), and two pages
  // of 3 are the page of 6.
  await step('limit/offset', async () => {
    const pages = {};
    for (const [limit, offset] of [[3, 0], [3, 3], [6, 0]]) {
      const vars = { limit, offset };
      await c.query(d.PAGE, vars);
      const cached = await c.readQuery(d.PAGE, vars);
      same(`limit/offset ${limit}@${offset}: cache = wire`, cached, await wire('PartnersPage'));
      pages[`${limit}@${offset}`] = ids(cached.resPartners.nodes);
    }
    check('limit/offset: 3@0 + 3@3 = 6@0', [...pages['3@0'], ...pages['3@3']].join() === pages['6@0'].join(), JSON.stringify(pages));
    values.offsetPages = pages;
  });

  // Relay connection pages with first/after, then back with last/before.
  await step('connection', async () => {
    let firstWire;
    const read = async (vars) => {
      await c.query(d.CONNECTION, vars);
      const cached = await c.readQuery(d.CONNECTION, vars);
      const w = await wire('PartnersConnection');
      firstWire ??= w.resPartners;
      same(`connection ${JSON.stringify(vars)}: cache = wire`, cached, w);
      return cached.resPartners;
    };
    const p1 = await read({ first: 3 });
    const p2 = await read({ first: 3, after: p1.pageInfo.endCursor });
    const back = await read({ last: 3, before: p2.pageInfo.startCursor });
    const six = (await c.readQuery(d.PAGE, { limit: 6, offset: 0 })).resPartners.nodes;
    const edgeIds = (p) => p.edges.map((e) => e.node.id);
    check('connection: first 3 + next 3 = limit 6', [...edgeIds(p1), ...edgeIds(p2)].join() === ids(six).join(),
      `${edgeIds(p1)} + ${edgeIds(p2)} vs ${ids(six)}`);
    check('connection: last 3 before the second page = the first page', edgeIds(back).join() === edgeIds(p1).join(),
      `${edgeIds(back)} vs ${edgeIds(p1)}`);
    check('connection: pageInfo', p1.pageInfo.hasNextPage && !p1.pageInfo.hasPreviousPage && p2.pageInfo.hasNextPage &&
      p2.pageInfo.hasPreviousPage && back.pageInfo.hasNextPage && !back.pageInfo.hasPreviousPage,
      JSON.stringify([p1.pageInfo, p2.pageInfo, back.pageInfo]));
    check('connection: cursors', p1.pageInfo.startCursor === p1.edges[0].cursor && p1.pageInfo.endCursor === p1.edges.at(-1).cursor,
      JSON.stringify(p1));
    // The nodes are the entities the other queries cached.
    const first = firstWire.edges[0].node;
    same('connection: first node entity = wire', await c.readFragment(c.identify('ResPartner', first.id), c.parse('fragment N on ResPartner { id name }')), first);
    values.connectionPages = [edgeIds(p1), edgeIds(p2), edgeIds(back)];
  });

  // Credentials: a wrong password gets the gateway's UNAUTHENTICATED.
  await step('bad login', async () => {
    const err = await c.badLogin();
    values.badLogin = err;
    check('bad login: UNAUTHENTICATED', /UNAUTHENTICATED/.test(err), err);
  });
}
