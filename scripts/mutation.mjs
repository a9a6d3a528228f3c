/**
 * `pnpm test:mutation <target>`: StrykerJS over one group of trust rules, with a floor.
 *
 * Why per target: mutating the whole core and running the whole suite for each mutant takes
 * hours on a small machine. Each target mutates one family of rules and runs only the test
 * files that are meant to guard it (on in-memory PGlite), so a target finishes in minutes and
 * its score says how well THOSE tests pin THOSE rules. The script exits non-zero when the
 * score is below the target's floor, so it can gate a change to the rules.
 *
 * Reports: reports/mutation/<target>/mutation.html and mutation.json (gitignored).
 * Environment: MUTATION_CONCURRENCY (default 2) sets the number of test-runner processes.
 * Runs are incremental (reports/mutation/<target>/stryker-incremental.json); `--force` redoes every mutant;
 * `--files <glob,…>` mutates only those files of the target (no floor verdict).
 *
 * @example
 * pnpm test:mutation normalizer
 * pnpm test:mutation decision
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';

// Loaded by absolute path: under pnpm, Stryker's own plugin scan cannot see packages it does not depend on.
const PLUGINS = [
  fileURLToPath(import.meta.resolve('@stryker-mutator/vitest-runner')),
  fileURLToPath(new URL('./mutation/ignore-error-messages.mjs', import.meta.url)),
];

/**
 * `file:<first>-<last>` covering the functions from the one `from` matches to the end of the one
 * `to` matches (the next line at column 0 that is `}`), or the single line `from` matches when
 * there is no `to`; nothing when a pattern finds nothing: the decision code is moving out of
 * verify.ts, and a stale range must not mutate the wrong lines.
 */
function linesOf(file, from, to) {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => from.test(line));
  if (start >= 0 && to === undefined) return [`${file}:${start + 1}-${start + 1}`];
  const last = to === undefined ? -1 : lines.findIndex((line) => to.test(line));
  if (start < 0 || last < start) return [];
  const end = lines.findIndex((line, i) => i > last && line === '}');
  return end < 0 ? [] : [`${file}:${start + 1}-${end + 1}`];
}

/**
 * The targets. `mutate`: the rule files; `testFiles`: the tests that guard them; `floor`: the
 * lowest acceptable score in percent (killed + timed out, over every mutant not ignored).
 */
export const TARGETS = {
  decision: {
    description: 'the verification decision, standing rules and status values',
    mutate: [
      'packages/core/src/rules/**/*.ts',
      // Only the evaluation part of verify.ts, `answerFromFacts` (the decision itself moved to
      // rules/decision.ts); input checks, lookup and cache code are I/O, guarded elsewhere.
      ...linesOf('packages/core/src/verification/verify.ts', /^export function answerFromFacts\(/, /^export function answerFromFacts\(/),
      'packages/core/src/signing/status-value.ts',
    ],
    // In this order (scripts/mutation/vitest.config.mjs runs them so): the pure, fast files first.
    testFiles: [
      'packages/core/test/rules/reasons.test.ts',
      'packages/core/test/rules/standing.test.ts',
      'packages/core/test/rules/decision.test.ts',
      // The decision table's own property test is pure and fast; the registry-wide one
      // (decision-registry.property.test.ts) replays histories on a database and is left out.
      'packages/core/test/rules/decision.property.test.ts',
      'packages/core/test/verification/verify*.test.ts',
      'packages/core/test/pledges/pledges.test.ts',
      'packages/core/test/signing/status-list-standing.test.ts',
    ],
    floor: 90,
  },
  normalizer: {
    description: 'account normalization and the platform rules',
    mutate: [
      'packages/core/src/accounts/normalize.ts',
      'packages/core/src/accounts/platforms/*.ts',
      'packages/core/src/accounts/text.ts',
      'packages/core/src/accounts/phone.ts',
    ],
    // The property test (normalize.property.test.ts) is left out: thousands of generated inputs per
    // mutant would make this target take hours; the table-driven files carry the rules.
    testFiles: ['packages/core/test/accounts/normalize.test.ts', 'packages/core/test/accounts/normalize-rules.test.ts'],
    floor: 85,
  },
  impersonation: {
    description: 'look-alike and impersonation detection',
    mutate: [
      'packages/core/src/verification/lookalikes.ts',
      'packages/core/src/accounts/skeleton.ts',
      'packages/core/src/accounts/affixes.ts',
    ],
    // The pure affix tests first (see the decision target).
    testFiles: ['packages/core/test/accounts/affixes.test.ts', 'packages/core/test/verification/lookalikes.test.ts', 'packages/core/test/verification/impersonation-corpus.test.ts'],
    floor: 80,
  },
};

/**
 * Drops the static mutants that survived from an incremental report, so that the next run tests
 * them again. Stryker re-tests a mutant when its code or its covering tests changed, but a static
 * mutant has no covering tests (it runs at import), so a static survivor would be reused forever,
 * even after a test that kills it is added (stryker-js #6119). They are few, so re-testing them
 * every run is cheap. Returns how many were dropped.
 */
export function forgetStaticSurvivors(incrementalFile) {
  if (!existsSync(incrementalFile)) return 0;
  const report = JSON.parse(readFileSync(incrementalFile, 'utf8'));
  let dropped = 0;
  for (const file of Object.values(report.files ?? {})) {
    const kept = file.mutants.filter((m) => !(m.static && (m.status === 'Survived' || m.status === 'NoCoverage')));
    dropped += file.mutants.length - kept.length;
    file.mutants = kept;
  }
  if (dropped > 0) writeFileSync(incrementalFile, JSON.stringify(report));
  return dropped;
}

/** Stryker's options for one target. */
export function strykerOptions(name, target, concurrency, force = false) {
  return {
    testRunner: 'vitest',
    // The target's tests are chosen by this configuration (from MUTATION_TEST_FILES, set by
    // main), NOT by Stryker's `testFiles` option: with `testFiles`, Stryker 9.6.1 activates static
    // mutants (list entries, regular expressions, tables at module level) only after the module
    // is loaded, so they are never applied and all count as survivors (stryker-js #6144; see
    // scripts/mutation/vitest.config.mjs and docs/MUTATION-TESTING.md).
    vitest: { configFile: 'scripts/mutation/vitest.config.mjs', related: false },
    mutate: target.mutate,
    coverageAnalysis: 'perTest',
    concurrency,
    // The machine is shared and PGlite start-up is slow under load: be generous before calling a mutant a timeout.
    timeoutMS: 20_000,
    plugins: PLUGINS,
    ignorers: ['error-messages'],
    // Stryker skips what .gitignore lists; the generated Prisma client is needed by the database tests.
    ignorePatterns: ['/reports', '/.data', '/.bench-data', '/coverage', '/docs', '/.stryker-tmp', '!packages/core/src/generated/**', '!services/api/src/generated/**'],
    reporters: ['html', 'json', 'clear-text', 'progress'],
    htmlReporter: { fileName: `reports/mutation/${name}/mutation.html` },
    jsonReporter: { fileName: `reports/mutation/${name}/mutation.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
    // Re-runs reuse the results of mutants whose code and covering tests did not change;
    // `pnpm test:mutation <target> --force` starts from scratch.
    incremental: true,
    incrementalFile: `reports/mutation/${name}/stryker-incremental.json`,
    force,
    tempDirName: `.stryker-tmp/${name}`,
    cleanTempDir: 'always',
    // The floor is enforced below, with a message; Stryker's own break threshold would only print its own.
    thresholds: { high: Math.min(100, target.floor + 5), low: target.floor, break: null },
  };
}

/**
 * The score in percent: detected (killed or timed out) over every mutant that counts.
 * Ignored mutants (error wording, `// Stryker disable` lines) and ones that do not compile do not count.
 */
export function score(results) {
  const count = (status) => results.filter((r) => r.status === status).length;
  const detected = count('Killed') + count('Timeout');
  const undetected = count('Survived') + count('NoCoverage');
  const total = detected + undetected;
  return { detected, undetected, total, percent: total === 0 ? 100 : (100 * detected) / total };
}

async function main() {
  const name = process.argv[2];
  const target = TARGETS[name];
  if (target === undefined) {
    console.error(`Usage: pnpm test:mutation <target>\nTargets:\n${Object.entries(TARGETS).map(([n, t]) => `  ${n.padEnd(14)} ${t.description} (floor ${t.floor}%)`).join('\n')}`);
    process.exit(2);
  }
  const concurrency = Number(process.env.MUTATION_CONCURRENCY ?? 2);
  const force = process.argv.includes('--force');
  // `--files <glob,glob>`: only those files of the target (a quick check of the file you changed);
  // the floor applies to the whole target, so a partial run reports its score without judging it.
  const filesAt = process.argv.indexOf('--files');
  const only = filesAt > 0 ? process.argv[filesAt + 1]?.split(',') : undefined;
  const options = strykerOptions(name, target, concurrency, force);
  // Read by scripts/mutation/vitest.config.mjs, in Stryker's worker processes too (they inherit the environment).
  process.env.MUTATION_TEST_FILES = target.testFiles.join(',');
  if (only !== undefined) Object.assign(options, { mutate: only, incremental: false });
  if (!force && options.incremental) {
    const dropped = forgetStaticSurvivors(options.incrementalFile);
    if (dropped > 0) console.log(`test:mutation: ${dropped} static survivors of the last run are tested again.`);
  }
  const results = await new Stryker(options).runMutationTest();
  const s = score(results);
  const summary = `mutation ${name}: ${s.percent.toFixed(2)}% (${s.detected} of ${s.total} mutants detected)`;
  if (only !== undefined) {
    console.log(`\n${summary} in ${only.join(', ')} only; the floor of ${target.floor}% applies to a full run.`);
    return;
  }
  const verdict = s.percent >= target.floor ? 'meets' : 'is BELOW';
  console.log(`\n${summary} ${verdict} the floor of ${target.floor}%.`);
  console.log(`report: reports/mutation/${name}/mutation.html`);
  if (s.percent < target.floor) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
