/**
 * V8 settings the service gives itself as it starts, so that however it is launched (`pnpm start`,
 * `node … dist/main.js` under a supervisor, the bench) it runs with them. main.ts applies them
 * before it opens the registry.
 *
 * Allocation-site pretenuring off. V8 watches the object and array literals of each function and,
 * when most of them outlive a scavenge, allocates that literal's later objects straight in the old
 * generation. A registry request's objects live for milliseconds, but a batch (`verifyMany` of
 * 1,000 keys, the bench's prefill) keeps them alive across scavenges, and from then on every
 * request's objects of those sites are born in the old generation, die there, and make it grow
 * until a full collection. Measured on the Zipf workload at 1,000,000 accounts
 * (test/bench/rss-probe.ts, docs/BENCHMARKS.md): about a tenth less CPU per request, a lower p99,
 * and 100 MiB less RSS with it off.
 *
 * V8 reads this flag at every scavenge (it gathers no feedback while it is off), so setting it
 * before the first request is as good as the command line's `--no-allocation-site-pretenuring`.
 *
 * The old generation grows to at most twice its live size before a full collection. With a large
 * heap limit (Node's default is about a quarter of the host's memory) V8 lets it grow up to four
 * times, and on the Zipf workload the RSS after the load went from 273–340 MiB to 253–262 MiB with
 * the factor fixed at 2, for more full collections and no throughput lost that the bench could
 * see (docs/BENCHMARKS.md). The heap limit itself is unchanged: nothing fails that did not before.
 * V8 reads the factor at every full collection.
 *
 * A command line that names a flag either way is left to decide (NODE_OPTIONS cannot carry them).
 */
import v8 from 'node:v8';

/** The flags, in V8's spelling. */
export const SERVICE_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring', '--heap-growing-percent=100'];

/**
 * Flags that stand aside when the command line names another: a heap limit given there
 * (`--max-old-space-size`, the README's knob for a memory-bound host) makes V8 grow the heap by
 * less than twice for that limit, which a fixed factor of 2 would undo.
 */
const YIELDS_TO: Readonly<Record<string, readonly string[]>> = { 'heap-growing-percent': ['max-old-space-size'] };

/** The name of a V8 flag without its dashes, `no-` or value, with `_` and `-` alike (V8 takes both). */
function flagName(flag: string): string {
  return flag.replace(/^--?/, '').split('=')[0]!.replaceAll('_', '-').replace(/^no-/, '');
}

/**
 * Sets {@link SERVICE_V8_FLAGS} on this process, except those the operator set on the command line;
 * returns the ones it set.
 * @example applyServiceV8Flags(); // before the service opens the registry
 */
export function applyServiceV8Flags(execArgv: readonly string[] = process.execArgv): string[] {
  const given = new Set(execArgv.filter((arg) => arg.startsWith('--')).map(flagName));
  const standsAside = (name: string) => given.has(name) || (YIELDS_TO[name] ?? []).some((other) => given.has(other));
  const applied = SERVICE_V8_FLAGS.filter((flag) => !standsAside(flagName(flag)));
  for (const flag of applied) v8.setFlagsFromString(flag);
  return applied;
}
