// GraphQL Code Generator: TypeScript types for the operations of client.ts,
// from a live odoogql's introspection. Run by ../graphqljs_test.go:
//
//   GRAPHQL_URL=http://127.0.0.1:8080/graphql CODEGEN_DIR=/tmp/x npx graphql-codegen --config codegen.ts
//
// CODEGEN_DIR holds a copy of client.ts and receives generated/graphql.ts
// (default: this directory; generated/ is not committed).
import type { CodegenConfig } from '@graphql-codegen/cli';

const url = process.env.GRAPHQL_URL;
if (!url) throw new Error('GRAPHQL_URL is not set (the gateway endpoint, e.g. http://127.0.0.1:8080/graphql)');
const dir = process.env.CODEGEN_DIR ?? '.';

const config: CodegenConfig = {
  schema: url,
  documents: [`${dir}/client.ts`],
  generates: {
    [`${dir}/generated/graphql.ts`]: {
      plugins: ['typescript', 'typescript-operations'],
      config: {
        // Every custom scalar must be mapped: a new one fails generation.
        strictScalars: true,
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        useTypeImports: true,
      },
    },
  },
  silent: true,
  errorsOnly: true,
};

export default config;
