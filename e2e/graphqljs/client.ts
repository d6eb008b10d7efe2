// A small typed client of odoogql: each operation's result and variables are
// types that GraphQL Code Generator generates from the live endpoint
// (codegen.ts → generated/graphql.ts for the operations, generated/schema.ts
// for the whole schema), and tsc --strict checks their use.
import type {
  CompaniesQuery,
  CompaniesQueryVariables,
  CreateContactMutation,
  CreateContactMutationVariables,
  RenameContactsMutation,
  RenameContactsMutationVariables,
} from './generated/graphql.js';
import type { ResPartnerOrderBy, ResPartnerWhere } from './generated/schema.js';

export const CompaniesDocument = /* GraphQL */ `
  query Companies($where: ResPartnerWhere, $orderBy: [ResPartnerOrderBy!], $limit: Int) {
    resPartners(where: $where, orderBy: $orderBy, limit: $limit) {
      totalCount
      nodes {
        id
        name
        type
        country_id { code }
        child_ids { name }
      }
    }
  }
`;

export const CreateContactDocument = /* GraphQL */ `
  mutation CreateContact($input: ResPartnerCreateInput!) {
    createResPartner(input: $input) { id name email parent_id { name } }
  }
`;

export const RenameContactsDocument = /* GraphQL */ `
  mutation RenameContacts($ids: [ID!]!, $name: String!) {
    updateResPartner(ids: $ids, input: {name: $name}) { id name }
  }
`;

export interface GraphQLErrorItem {
  message: string;
  extensions?: { code?: string };
}

export class GraphQLRequestError extends Error {
  constructor(readonly errors: GraphQLErrorItem[]) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

/** POSTs one operation and returns its data, typed by the operation. */
export async function request<TData, TVariables>(endpoint: string, query: string, variables: TVariables): Promise<TData> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { data?: TData | null; errors?: GraphQLErrorItem[] };
  if (body.errors?.length) throw new GraphQLRequestError(body.errors);
  if (body.data == null) throw new Error(`HTTP ${res.status}: no data`);
  return body.data;
}

export type Company = CompaniesQuery['resPartners']['nodes'][number];

// Filters built with the schema's input types (generated/schema.ts) are
// accepted as the operation's variables (generated/graphql.ts): the two
// plugins agree on the inputs.
export function companiesIn(country: string): { where: ResPartnerWhere; orderBy: ResPartnerOrderBy[] } {
  return { where: { is_company: { eq: true }, country_id: { code: { eq: country } } }, orderBy: [{ name: 'ASC' }] };
}

export async function companies(endpoint: string, filter: { where: ResPartnerWhere; orderBy: ResPartnerOrderBy[] }, limit: number): Promise<{ total: number; companies: Company[] }> {
  const variables: CompaniesQueryVariables = { ...filter, limit };
  const data = await request<CompaniesQuery, CompaniesQueryVariables>(endpoint, CompaniesDocument, variables);
  return { total: data.resPartners.totalCount, companies: data.resPartners.nodes };
}

export async function createContact(endpoint: string, input: CreateContactMutationVariables['input']): Promise<CreateContactMutation['createResPartner']> {
  const data = await request<CreateContactMutation, CreateContactMutationVariables>(endpoint, CreateContactDocument, { input });
  return data.createResPartner;
}

export async function renameContacts(endpoint: string, ids: string[], name: string): Promise<string[]> {
  const data = await request<RenameContactsMutation, RenameContactsMutationVariables>(endpoint, RenameContactsDocument, { ids, name });
  return data.updateResPartner.map((p) => p.name ?? '');
}

// What the generated types promise, checked by the compiler: nullable
// many2one, non-null lists, enums as string unions, and no field that the
// operation did not select.
export function describe(c: Company): string {
  const country: string = c.country_id?.code ?? '??';
  const contacts: string[] = c.child_ids.map((child) => child.name ?? '');
  const kind: 'contact' | 'invoice' | 'delivery' | 'other' | null = c.type;
  // @ts-expect-error email is not selected by the Companies query
  void c.email;
  // @ts-expect-error a many2one may be null
  const code: string = c.country_id.code;
  void code;
  return `${c.name ?? '(no name)'} [${country}, ${kind ?? 'no type'}]: ${contacts.join(', ')}`;
}
