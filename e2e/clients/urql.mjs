// urql with Graphcache against a live odoogql (run by ../clients_test.go):
// @urql/core's Client with @urql/exchange-graphcache's cacheExchange of its
// defaults (entity keys __typename and id, no schema, no resolvers) and the
// fetchExchange, sending the README's HTTP Basic credentials. The scenario is
// scenario.mjs's.
//
// Whole queries are read from the cache with cache-only queries (the Client's
// synchronous readQuery answers null: Graphcache delivers asynchronously).
//
// Usage: GRAPHQL_URL=http://127.0.0.1:8080/graphql node urql.mjs
import { createRequire } from 'node:module';
import { Client, fetchExchange, gql } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { basicAuth, fetches, headers, recordingFetch, report, requestMethods, sent, url, values } from './common.mjs';
import { runScenario } from './scenario.mjs';

const require = createRequire(import.meta.url);
const version = {
  core: require('@urql/core/package.json').version,
  graphcache: require('@urql/exchange-graphcache/package.json').version,
};

// Graphcache keeps its store to itself, and its store can be read only while
// an operation is written or read (readFragment, resolve… are for updaters
// and resolvers). So readFragment queues the read and sends a small query
// (Probe); its no-op updater on Query.resPartner runs the queued reads with
// the `cache` every updater is given. The cache keys stay the defaults.
//
// And a no-op updater for Mutation.createResPartner. Without one, Graphcache
// 9 treats the new entity as created and invalidates every other ResPartner
// it holds (its "default updater", urql-graphql/urql#3518), those in the
// mutation's own answer included (#3560 spares the new entity only): the
// answer to createResPartner(…) { parent_id { id name } } reads back null
// although the gateway sent it whole. values.defaultUpdater records what the
// default does (the Go test logs it).
let store;
const pending = [];
const updates = {
  Query: {
    resPartner: (_result, _args, cache) => {
      store = cache;
      for (const read of pending.splice(0)) read(cache);
    },
  },
  Mutation: { createResPartner: () => {} },
};

// urql sends queries with GET when the URL is short enough (preferGetMethod
// 'within-url-limit', its default), mutations with POST. The gateway's CSRF
// prevention answers a GET only when it carries a header no browser sends
// cross-site without a preflight: the README's Apollo-Require-Preflight.
const preflight = { 'apollo-require-preflight': 'true' };

const newClient = (authorization, extra = preflight, config = { updates }) =>
  new Client({
    url,
    exchanges: [cacheExchange(config), fetchExchange],
    fetch: recordingFetch,
    fetchOptions: { headers: { authorization, ...extra } },
    requestPolicy: 'network-only',
  });

const client = newClient(headers.authorization);

const PROBE = gql('query Probe { resPartner(id: "10") { id } }');

// unwrap returns an operation result's data, or throws its error.
const unwrap = (r) => {
  if (r.error) throw r.error;
  return r.data;
};

await runScenario(
  {
    hidesAddedTypename: true,
    parse: (source) => gql(source),
    query: async (query, variables = {}) => unwrap(await client.query(query, variables).toPromise()),
    mutate: async (mutation, variables = {}) => unwrap(await client.mutation(mutation, variables).toPromise()),
    // A cache-only query: Graphcache answers it from its store, and the
    // network is not asked (checked).
    readQuery: async (query, variables = {}) => {
      const before = fetches.count;
      const r = await client.query(query, variables, { requestPolicy: 'cache-only' }).toPromise();
      if (fetches.count !== before) throw new Error('a cache-only query went to the network');
      return r.data ?? null;
    },
    readFragment: async (key, fragment) => {
      let read;
      pending.push((cache) => (read = cache.readFragment(fragment, key)));
      unwrap(await client.query(PROBE, {}).toPromise());
      if (pending.length) throw new Error('the Probe updater did not run');
      return read;
    },
    identify: (__typename, id) => (store ? store.keyOfEntity({ __typename, id }) : `${__typename}:${id}`),
    badLogin: async () => {
      const r = await newClient(basicAuth('demo:wrong password'))
        .query(gql('query BadLogin { resPartner(id: "10") { id name } }'), {})
        .toPromise();
      return r.error
        ? JSON.stringify({ message: r.error.message, graphQLErrors: r.error.graphQLErrors, status: r.error.response?.status })
        : `no error: ${JSON.stringify(r.data)}`;
    },
  },
  'urql',
);
values.requestMethods = [...requestMethods].sort();
// The same client without the header: its GET is refused (reported, not a
// check: the Go test logs it).
{
  const r = await newClient(headers.authorization, {}).query(gql('query NoPreflight { resPartner(id: "10") { id } }'), {}).toPromise();
  values.withoutPreflight = r.error ? `${r.error.response?.status}: ${r.error.message}` : 'ok';
}
{
  const r = await newClient(headers.authorization, preflight, {})
    .mutation(gql('mutation DefaultUpdater($input: ResPartnerCreateInput!) { createResPartner(input: $input) { id name parent_id { id name } } }'),
      { input: { name: 'Default updater (urql)', parent_id: '10' } })
    .toPromise();
  values.defaultUpdater = { data: r.data, gateway: sent.get('DefaultUpdater')?.body?.data };
}
report('urql', version);
