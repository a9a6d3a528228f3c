/**
 * Core's error table (ERROR_TABLE) decides how every transport shows a failure. Exposed errors
 * reach GraphQL clients with their code and leave the log alone; masked ones become
 * "Unexpected error." with an incident id, logged once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GraphQLError, locatedError } from 'graphql';
import { ERROR_TABLE, ErrorCode, KeyError, NotFoundError, ValidationError, type ErrorCode as Code } from '@trust-alliance/core';
import { maskError } from '../../services/api/src/server/mask-error.ts';
import { MUTATION_ERRORS } from '../../services/api/src/schema/errors.ts';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';

describe('the error table', () => {
  it('has a row for every code, and every typed result has its GraphQL type', () => {
    expect(Object.keys(ERROR_TABLE).sort()).toEqual(Object.values(ErrorCode).sort());
    const typed = new Set(Object.values(ERROR_TABLE).flatMap((rule) => (rule.graphqlType ? [rule.graphqlType] : [])));
    expect(new Set(MUTATION_ERRORS.map((type) => type.name))).toEqual(typed);
    // Masked codes are never typed results: a client cannot be handed what it may not see.
    for (const [code, rule] of Object.entries(ERROR_TABLE) as Array<[Code, (typeof ERROR_TABLE)[Code]]>) {
      if (!rule.exposed) expect(rule.graphqlType, code).toBeNull();
      expect(rule.httpStatus >= 400 && rule.httpStatus < 600, code).toBe(true);
    }
  });

  it('returns an exposed error unchanged (so nothing logs it) and masks the rest once, with an incident id', () => {
    const log = vi.fn();
    const exposed = locatedError(new NotFoundError('Member', 'm-1'), undefined, ['member']);
    expect(exposed.extensions).toEqual({ code: 'NOT_FOUND' });
    expect(maskError(exposed, 'Unexpected error.', log)).toBe(exposed);
    const withField = locatedError(new ValidationError('bad', 'at'), undefined, ['verify']);
    expect(maskError(withField, 'Unexpected error.', log)).toBe(withField);
    expect(withField.extensions).toEqual({ code: 'INVALID_INPUT', field: 'at' });
    expect(log).not.toHaveBeenCalled();

    const hidden = locatedError(new KeyError('the key wrapping key is gone: /secret/path'), undefined, ['verify']);
    const masked = maskError(hidden, 'Unexpected error.', log) as GraphQLError;
    expect(masked).not.toBe(hidden);
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(masked.toJSON())).not.toContain('/secret/path');
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toBe(masked.extensions.incident);
  });
});

describe('over GraphQL', () => {
  let t: TestApp;
  const logged: unknown[] = [];
  beforeAll(async () => {
    t = await openTestApp({ logError: (_incident, error) => logged.push(error) });
  });
  afterAll(() => t.close());

  it('a refused moment answers INVALID_INPUT naming the field, a missing record is null, and neither is logged', async () => {
    const res = await t.gql('{ attestation(id: "no-such-attestation") { id } }', {}, 'OFFICER');
    expect(res.errors ?? []).toEqual([]);
    expect(res.data?.attestation).toBeNull();
    const refused = await t.gql('query ($at: DateTime) { verify(input: { url: "https://fb.com/x" }, at: $at) { status } }', { at: '2999-01-01T00:00:00Z' });
    expect(codeOf(refused)).toBe('INVALID_INPUT');
    expect(refused.errors?.[0]?.extensions?.field).toBe('at');
    expect(logged).toEqual([]);
  });
});
