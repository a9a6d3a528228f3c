/**
 * GraphQL over a real socket for the end-to-end tests, which run the service as a platform
 * would reach it: the answer must be a 200 without errors, and its data is returned.
 */
import { expect } from 'vitest';

/**
 * @example const data = await graphqlData(t.origin, '{ signingKeys { kid } }', {}, officerToken);
 */
export async function graphqlData(origin: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Record<string, any>> {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!;
}
