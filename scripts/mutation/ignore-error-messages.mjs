/**
 * A Stryker ignorer that keeps the wording of error messages out of the mutation score.
 *
 * Why: `new InvalidAccountError('… is not a valid TikTok username …')` yields string-literal
 * mutants that only a test pinning the exact English sentence could kill; such tests guard
 * wording, not trust rules, and would make every copy edit a test change. Only the FIRST
 * argument of `new <Something>Error(…)` is ignored: the options object after it (`{ field:
 * 'handle' }`) is behaviour and stays mutated. String literals elsewhere (reserved words,
 * service domains, keys) stay in the score too.
 *
 * @example
 * // stryker config: { appendPlugins: ['./scripts/mutation/ignore-error-messages.mjs'], ignorers: ['error-messages'] }
 */

/** True when `path` is the first argument of `new XxxError(…)`. */
function isErrorMessage(path) {
  const parent = path.parentPath;
  if (parent === null || parent === undefined || !parent.isNewExpression()) return false;
  if (path.listKey !== 'arguments' || path.key !== 0) return false;
  const callee = parent.node.callee;
  return callee.type === 'Identifier' && /Error$/.test(callee.name);
}

export const strykerPlugins = [
  {
    kind: 'Ignore',
    name: 'error-messages',
    value: {
      shouldIgnore(path) {
        return isErrorMessage(path) ? 'The wording of an error message is not a trust rule.' : undefined;
      },
    },
  },
];
