/**
 * Validation results kept per parsed document, in place of Yoga's own validation cache.
 *
 * Yoga's cache (useParserAndValidationCache) files its results under a key it rebuilds on every
 * request from the names of all validation rules in force: graphql-js' 27 and the armor's, each
 * name read through a getter and the lot joined into one string. In the CPU profile of the bench's
 * GraphQL `verify` load (the seventh session's report, docs/BENCHMARKS.md) that getter alone was
 * 2.1% of the service's time, and Yoga's onValidate another 1.2%, to find a result that depends on
 * nothing but the document.
 *
 * Here the rules and the schema are fixed when the app is made (createApp builds one plugin per
 * app; the armor's limits and the introspection switch do not change between requests), so the
 * parsed document alone is the key. Yoga's parser cache hands the same DocumentNode back for the
 * same text, so a repeated query finds its result; a WeakMap lets a document evicted from that
 * cache go with its result. Documents that fail validation are kept too: they fail the same way.
 */
import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * @example createYoga({ schema, parserAndValidationCache: { validationCache: false }, plugins: [validationCachePlugin()] });
 */
export function validationCachePlugin(): Plugin {
  const results = new WeakMap<DocumentNode, readonly Error[]>();
  return {
    onValidate({ params, setResult }) {
      const document = params.documentAST;
      const known = results.get(document);
      if (known !== undefined) {
        setResult(known);
        return;
      }
      return ({ result }) => {
        results.set(document, result);
      };
    },
  };
}
