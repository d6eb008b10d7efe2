// Writes rich.introspection.json: graphql-js's introspection of
// rich.graphqls, every option on, as a server built with graphql-js would
// answer. sdl_test.go rebuilds the schema from it.
//
//   cd e2e/graphqljs && npm ci && node ../../internal/sdl/testdata/make-introspection.mjs
import fs from 'node:fs';
import { createRequire } from 'node:module';

// graphql from the npm project the script is run in (e2e/graphqljs).
const { buildSchema, introspectionFromSchema, version } = createRequire(`${process.cwd()}/`)('graphql');

const here = new URL('.', import.meta.url);
const schema = buildSchema(fs.readFileSync(new URL('rich.graphqls', here), 'utf8'));
const data = introspectionFromSchema(schema, {
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
fs.writeFileSync(new URL('rich.introspection.json', here), JSON.stringify({ data }, null, 1) + '\n');
console.log(`rich.introspection.json written with graphql-js ${version}`);
