// Runs client.ts against a live endpoint (GRAPHQL_URL) and prints what it
// got as one JSON line, for ../graphqljs_test.go.
import { companies, companiesIn, createContact, describe, renameContacts } from './client.js';

declare const process: { env: Record<string, string | undefined> };

const endpoint = process.env.GRAPHQL_URL;
if (!endpoint) throw new Error('GRAPHQL_URL is not set');

const us = await companies(endpoint, companiesIn('US'), 3);
const created = await createContact(endpoint, { name: 'Grace Hopper', email: 'grace@example.com', parent_id: us.companies[0]?.id ?? null });
const renamed = await renameContacts(endpoint, [created.id], 'Rear Admiral Grace Hopper');
console.log(JSON.stringify({ total: us.total, companies: us.companies.map(describe), created, renamed }));
