/**
 * The vitest configuration of a `pnpm test:mutation` run: the repository's own configuration,
 * with `test.include` narrowed to the target's test files (MUTATION_TEST_FILES, comma-separated,
 * set by scripts/mutation.mjs).
 *
 * Why the test files are chosen here and not with Stryker's `testFiles` option: with
 * `testFiles`, @stryker-mutator/core 9.6.1 gives every mutant a test filter, and it picks
 * `mutantActivation: 'runtime'` whenever there is a filter (mutant-test-planner.js:
 * `mutantActivation: testFilter ? 'runtime' : 'static'`), static mutants included. The vitest
 * runner then switches the mutant on in a `beforeAll` hook, after the mutated module has been
 * imported, so a mutant in module-level code (a list entry, a regular expression, a table) is
 * never applied and is reported Survived whatever the tests do (stryker-js issues #6144 and
 * #6209). Without `testFiles` a static mutant has no filter, is activated before the test file
 * imports anything (`mutantActivation: 'static'`), and vitest's per-file isolation loads the
 * module afresh with the mutant on.
 *
 * @example
 * MUTATION_TEST_FILES=packages/core/test/accounts/normalize.test.ts pnpm exec vitest run --config scripts/mutation/vitest.config.mjs
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer } from 'vitest/node';
import base from '../../vitest.config.ts';

const files = (process.env.MUTATION_TEST_FILES ?? '').split(',').filter((f) => f !== '');
if (files.length === 0) throw new Error('MUTATION_TEST_FILES is not set: run this configuration through `pnpm test:mutation <target>`.');

/** `*` in a test-file pattern, as a regular expression (the targets' patterns use no other glob syntax). */
const patterns = files.map((file) => new RegExp(`/${file.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`));

/**
 * Runs the test files in the order the target lists them. A static mutant runs every file of
 * the target and stops at the first failure, so the target lists its fast, pure test files
 * first: most static mutants are then killed before a database test starts. (vitest's own order
 * puts the slowest files first.)
 */
class TargetOrder extends BaseSequencer {
  async sort(specs) {
    const rank = (spec) => {
      const i = patterns.findIndex((p) => p.test(spec.moduleId.replaceAll('\\', '/')));
      return i < 0 ? patterns.length : i;
    };
    return [...specs].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  ...base,
  // The repository root (in Stryker's sandbox, the sandbox's root), whatever the working directory.
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // The target's test files only (replacing, not adding to, the repository's include list).
  test: { ...base.test, include: files, sequence: { ...base.test?.sequence, sequencer: TargetOrder } },
});
