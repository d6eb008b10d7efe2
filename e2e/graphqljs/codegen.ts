// GraphQL Code Generator: TypeScript types for the operations of client.ts,
// from a live odoogql's introspection. Run by ../graphqljs_test.go:
//
//   GRAPHQL_URL=http://127.0.0.1:8080/graphql CODEGEN_DIR=/tmp/x npx graphql-codegen --config codegen.ts
//
// CODEGEN_DIR holds a copy of client.ts and receives generated/schema.ts and generated/graphql.ts
// (default: this directory; generated/ is not committed).
import type { CodegenConfig } from '@graphql-codegen/cli';

const url = process.env.GRAPHQL_URL;
if (!url) throw new Error('GRAPHQL_URL is not set (the gateway endpoint, e.g. http://127.0.0.1:8080/graphql)');
const dir = process.env.CODEGEN_DIR ?? '.';

// Two files, one per plugin: typescript-operations 6 writes the enums and
// inputs that the operations use itself, so that in one file with the
// typescript plugin's whole-schema types the names would clash.
const scalars = { Date: 'string', DateTime: 'string', JSON: 'unknown' };
const config: CodegenConfig = {
  schema: url,
  documents: [`${dir}/client.ts`],
  generates: {
    // Every type of the schema (the typescript plugin).
    [`${dir}/generated/schema.ts`]: {
      plugins: ['typescript'],
      config: { strictScalars: true, scalars, enumsAsTypes: true, useTypeImports: true },
    },
    // The result and variables of each operation of client.ts.
    [`${dir}/generated/graphql.ts`]: {
      plugins: ['typescript-operations'],
      // Every custom scalar must be mapped: a new one fails generation.
      config: { strictScalars: true, scalars, useTypeImports: true },
    },
  },
  errorsOnly: true,
};

export default config;
