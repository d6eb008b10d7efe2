// Apollo Client against a live odoogql (run by ../clients_test.go):
// node apollo.mjs 3 runs Apollo Client 3 (npm alias apollo3), node apollo.mjs 4
// Apollo Client 4 (apollo4), each with an InMemoryCache of its defaults (no
// typePolicies, no possibleTypes) and an HttpLink sending the README's HTTP
// Basic credentials. The scenario is scenario.mjs's.
//
// Usage: GRAPHQL_URL=http://127.0.0.1:8080/graphql node apollo.mjs 3|4
import { createRequire } from 'node:module';
import { basicAuth, headers, recordingFetch, report, url } from './common.mjs';
import { runScenario } from './scenario.mjs';

const major = process.argv[2];
if (major !== '3' && major !== '4') {
  console.error('usage: GRAPHQL_URL=http://host/graphql node apollo.mjs 3|4');
  process.exit(2);
}
const pkg = `apollo${major}`;
// Apollo Client 3's root entry point brings React in; its core does not.
const { ApolloClient, InMemoryCache, HttpLink, gql } = await import(major === '3' ? 'apollo3/core/index.js' : 'apollo4');
const { version } = createRequire(import.meta.url)(`${pkg}/package.json`);

const newClient = (authorization) =>
  new ApolloClient({
    cache: new InMemoryCache(),
    link: new HttpLink({ uri: url, headers: { authorization }, fetch: recordingFetch }),
  });

const client = newClient(headers.authorization);
const { cache } = client;

await runScenario(
  {
    parse: (source) => gql(source),
    query: async (query, variables) => (await client.query({ query, variables, fetchPolicy: 'network-only' })).data,
    mutate: async (mutation, variables) => (await client.mutate({ mutation, variables })).data,
    readQuery: (query, variables) => cache.readQuery({ query, variables }),
    readFragment: (id, fragment) => cache.readFragment({ id, fragment }),
    identify: (__typename, id) => cache.identify({ __typename, id }),
    badLogin: async () => {
      const bad = newClient(basicAuth('demo:wrong password'));
      try {
        const r = await bad.query({ query: gql('query BadLogin { resPartner(id: "10") { id name } }') });
        return `no error: ${JSON.stringify(r)}`;
      } catch (e) {
        // Apollo Client 3: ApolloError with networkError (a ServerError: the
        // status and the parsed body); 4: ServerError with the body's text.
        const n = e.networkError ?? e;
        return JSON.stringify({ name: n.name, message: n.message, statusCode: n.statusCode, result: n.result, bodyText: n.bodyText });
      }
    },
  },
  `apollo${major}`,
);
report(`apollo${major}`, version);
