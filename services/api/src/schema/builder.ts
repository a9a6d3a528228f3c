/**
 * The Pothos schema builder and nothing else (docs/ARCHITECTURE.md, "Conventions"): plugins, scopes and the shared
 * options. Types, queries and mutations live in one file per domain type beside this one.
 *
 * Plugin order matters: scope-auth first, so no other wrapper runs before authorization;
 * errors after it, so a refused field stays a GraphQL error (FORBIDDEN) while core's expected
 * failures become typed results; zod last, validating arguments right before the resolver.
 */
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ErrorsPlugin from '@pothos/plugin-errors';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import type { GraphQLContext } from './context.ts';
import { rawIdOrNull } from './ids.ts';

/** The auth scopes every field and type is checked against. */
export interface AuthScopes {
  /** Everyone, with or without a token. */
  public: boolean;
  /** OFFICER or ADMIN: the lifecycle, reports, personal data. */
  officer: boolean;
  /** ADMIN only. */
  admin: boolean;
  /** PLATFORM, BUSINESS, OFFICER or ADMIN: batch verification. */
  bulkVerify: boolean;
  /** A MEMBER token whose subject is this member id. */
  selfMember: string;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ErrorsPlugin, DataloaderPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => {
      const role = ctx.viewer.role;
      // A MEMBER token's subject is the member id (raw, or a Member node id).
      const self = role === 'MEMBER' ? rawIdOrNull(ctx.viewer.subject, 'Member') : null;
      return {
        public: true,
        officer: role === 'OFFICER' || role === 'ADMIN',
        admin: role === 'ADMIN',
        bulkVerify: role === 'PLATFORM' || role === 'BUSINESS' || role === 'OFFICER' || role === 'ADMIN',
        selfMember: (memberId: string) => self !== null && self === memberId,
      };
    },
    // A refused field is null plus this error; never a stack, never a hint at the data.
    unauthorizedError: (_parent, ctx) =>
      new GraphQLError(ctx.viewer.role === 'PUBLIC' ? 'Not authorized: this needs a bearer token with a suitable role' : `Not authorized for role ${ctx.viewer.role}`, {
        extensions: { code: 'FORBIDDEN' },
      }),
  },
  prisma: {
    // One Prisma client per registry: the request's registry decides (tests open many).
    client: (ctx) => ctx.registry.reads,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    // Off: the schema is built at import, before any configuration (config.ts is the only reader
    // of the environment); the warning of a Prisma selection left unused was a development aid.
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  errors: {
    defaultTypes: [],
  },
  // Only the arguments and input fields that declare a schema (zod) are validated: the others,
  // `verify(input:)` among them, run no validation step at all.
  validation: {
    // Malformed input (too long, too many) is a client bug: a GraphQL error with a stable code.
    validationError: (failure) => {
      const issue = failure.issues[0];
      const field = issue?.path?.map((segment) => (typeof segment === 'object' ? String(segment.key) : String(segment))).join('.') ?? '';
      return new GraphQLError(`Invalid input${field ? ` at ${field}` : ''}: ${issue?.message ?? 'failed validation'}`, {
        extensions: { code: 'BAD_USER_INPUT', field },
      });
    },
  },
});

builder.queryType({});
builder.mutationType({});

// Instants written lately, and their text: a list of answers repeats instants (every answer of a
// verifyMany has the same checkedAt, between its badges' dates), and toISOString was 5% of the
// CPU of a 1,000-answer batch. Emptied when full, so it stays small.
const isoTexts = new Map<number, string>();
const MAX_ISO_TEXTS = 256;

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC (e.g. 2026-05-01T08:00:00.000Z).',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(value as string);
    const time = date.getTime();
    let text = isoTexts.get(time);
    if (text === undefined) {
      // An invalid date throws here, before anything is kept.
      text = date.toISOString();
      if (isoTexts.size >= MAX_ISO_TEXTS) isoTexts.clear();
      isoTexts.set(time, text);
    }
    return text;
  },
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    // Year 0000 parses in JavaScript but not in PostgreSQL (a 500 before): years 0001–9999 only.
    if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value as string) || date.getUTCFullYear() < 1) {
      throw new GraphQLError('DateTime must be an ISO 8601 date-time string', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return date;
  },
});

builder.scalarType('JSON', {
  description: 'A JSON value (output only: e.g. the decoded claims of a signed statement).',
  serialize: (value) => value,
  parseValue: () => {
    throw new GraphQLError('JSON is an output type only', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
