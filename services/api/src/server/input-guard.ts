/**
 * Input refused before any resolver runs, so that no client input can reach SQL in a form the
 * database rejects (a 500 and a stack in the log before):
 *
 * - documents nesting `{`, `[` or `(` deeper than MAX_DOCUMENT_DEPTH (a 2,000-deep list
 *   literal overflowed graphql-js' recursive parser), refused before parsing;
 * - the NUL character in any string argument or variable: PostgreSQL `text` cannot hold it
 *   (a report description, a members filter, an attestation id, a display name). Core does
 *   not refuse it yet, so the API does, at the boundary, for every field at once;
 * - introspection, when it is switched off (production without TRUST_INTROSPECTION=1).
 */
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { documentDepthExceeds, MAX_DOCUMENT_DEPTH } from './nesting.ts';

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
}

/**
 * Whether a parsed document holds NUL in a string literal, once per document: Yoga's parser
 * cache hands the same (immutable) DocumentNode back for the same text, so a repeated query is
 * not walked again on every request (issue 16). Variables change per request and are always checked.
 */
const nulInDocument = new WeakMap<DocumentNode, boolean>();

function documentHasNul(document: DocumentNode): boolean {
  const known = nulInDocument.get(document);
  if (known !== undefined) return known;
  const found = scanDocumentForNul(document);
  nulInDocument.set(document, found);
  return found;
}

function scanDocumentForNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING](node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

/**
 * Document texts already found no deeper than MAX_DOCUMENT_DEPTH. Clients send the same few
 * query texts again and again, their inputs in variables, and the scan of a text that passed once
 * would pass again: each text is scanned once. Bounded (emptied when full, texts over
 * MAX_REMEMBERED_SOURCE_LENGTH never kept), so varied or large documents cannot grow it; a
 * text that was refused is never kept, so it is refused every time.
 *
 * Why not wrap the parse function instead (`setParseFn`), so that Yoga's parser cache would skip
 * the scan: the armor's token limit replaces the parse function outright, and a refusal thrown
 * from inside the parse reached the client as 200, not 400 (tried in the ninth session).
 */
const shallowSources = new Set<string>();
const MAX_REMEMBERED_SOURCES = 512;
const MAX_REMEMBERED_SOURCE_LENGTH = 8 * 1024;

function sourceTooDeep(source: string): boolean {
  if (shallowSources.has(source)) return false;
  if (documentDepthExceeds(source, MAX_DOCUMENT_DEPTH)) return true;
  if (source.length <= MAX_REMEMBERED_SOURCE_LENGTH) {
    if (shallowSources.size >= MAX_REMEMBERED_SOURCES) shallowSources.clear();
    shallowSources.add(source);
  }
  return false;
}

/**
 * @example createYoga({ schema, plugins: [inputGuardPlugin({ introspection: false })] });
 */
export function inputGuardPlugin(options: { introspection: boolean }): Plugin {
  return {
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (sourceTooDeep(source)) {
        throw badInput(`The document nests deeper than ${MAX_DOCUMENT_DEPTH} levels. / Tài liệu GraphQL lồng sâu quá ${MAX_DOCUMENT_DEPTH} cấp.`);
      }
    },
    onValidate({ addValidationRule }) {
      if (!options.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (hasNul(args.variableValues) || documentHasNul(args.document)) {
        setResultAndStopExecution({ errors: [badInput('Text must not contain the NUL character (U+0000). / Văn bản không được chứa ký tự NUL (U+0000).')] });
      }
    },
  };
}
