/**
 * Cheap nesting scans that run before any parser. `JSON.parse` and graphql-js' `parse` are
 * recursive: a body of 2,000 nested `[` costs them a deep stack (graphql-js overflows it, a
 * 500 before this check) and much of the CPU an attacker can buy with one request. One linear
 * pass over the text, counting brackets outside strings, refuses such input before it reaches
 * either parser.
 */

/** Deepest JSON nesting accepted in a request body (a verifyMany body is 5 deep). */
export const MAX_JSON_DEPTH = 32;
/** Deepest bracket nesting (`{`, `[`, `(`) accepted in a GraphQL document: selections are capped at 12 by the depth limit, input literals need a few more. */
export const MAX_DOCUMENT_DEPTH = 40;

/**
 * The deepest `{`/`[` nesting of JSON text, stopping as soon as it passes `limit`.
 * Strings are skipped (with their escapes), so brackets inside them do not count.
 * @example jsonDepthExceeds('{"a":[[1]]}', 2) // true (3 deep)
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/**
 * Whether a GraphQL document nests `{`, `[` or `(` deeper than `limit`. Skips strings
 * (`"…"` and block strings `"""…"""`) and `#` comments, as the GraphQL lexer does.
 * @example documentDepthExceeds('{ a(b: [[[1]]]) { c } }', 3) // true
 */
export function documentDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22 /* " */) {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        if (end === -1) return false; // unterminated: the parser will say so
        i = end + 2;
      } else {
        for (i++; i < text.length; i++) {
          const d = text.charCodeAt(i);
          if (d === 0x5c) i++;
          else if (d === 0x22 || d === 0x0a) break;
        }
      }
    } else if (c === 0x7b || c === 0x5b || c === 0x28 /* ( */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d || c === 0x29 /* ) */) {
      depth--;
    }
  }
  return false;
}
