/**
 * The bench's servers run as production runs the service: compiled JavaScript, not through tsx.
 *
 * `pnpm build` writes every package's dist/ (the README's "Run in production"); esbuild then
 * bundles a bench entry (service-process.ts, baseline-server.ts) with the harness files it
 * imports into `test/bench/.<name>.compiled.mjs` (beside the sources, so that paths taken from
 * `import.meta.url` stay right; ignored by git), leaving every package an import. Node runs it
 * with `--conditions=trust-alliance-dist`, so core and the verifier load from their dist/, and
 * with BENCH_SERVICE_BUILD=dist, so that service-process.ts imports the API's dist/ too.
 *
 * Why it matters: tsx runs its loader on a thread of its own, which costs the process about
 * 100 MiB of RSS (measured on the idle service: 319 MiB under tsx against 220 MiB without, both
 * on the same dist/). `pnpm bench --from-source` keeps the old way (everything through tsx).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { BENCH_DIR, REPO_ROOT } from './common.ts';

/** The file node runs for a bench entry such as `service-process.ts`. */
export function compiledEntry(file: string): string {
  return resolve(BENCH_DIR, `.${file.replace(/\.ts$/, '')}.compiled.mjs`);
}

/** Builds the packages (`pnpm build`) and bundles each entry; throws with the build's output when it fails. */
export async function compileBenchServers(files: readonly string[]): Promise<void> {
  const built = spawnSync('pnpm', ['--silent', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`pnpm build failed (${built.status ?? built.signal}): ${`${built.stdout}\n${built.stderr}`.trim().slice(-3000)}`);
  for (const file of files) {
    await build({
      entryPoints: [resolve(BENCH_DIR, file)],
      outfile: compiledEntry(file),
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
    });
  }
}

/** Runs a compiled bench entry in a new Node process, optionally with IPC (the counterpart of spawnTs). */
export function spawnCompiled(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; ipc?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=trust-alliance-dist', ...(options.nodeArgs ?? []), compiledEntry(file), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_SERVICE_BUILD: 'dist', ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}
