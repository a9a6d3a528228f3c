/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and sums self time per function and per
 * package, so the report can name where the verify path spends its CPU.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  functions: ProfileEntry[];
  /** The top functions with JavaScript source outside Node's own (the application's and its packages'). */
  jsFunctions: ProfileEntry[];
  packages: ProfileEntry[];
}

/** `node_modules/.pnpm/graphql-yoga@5/…` → `graphql-yoga`; repository files → their folder. */
export function packageOf(url: string): string {
  if (!url) return '(native / V8)';
  const pnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pnpm) return pnpm[1]!;
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const repo = url.match(/\/(packages\/[^/]+|services\/[^/]+|test)\/(?:src\/|dist\/)?([^/]+)/);
  if (repo) return `${repo[1]}/${repo[2]}`;
  return url.replace(/^file:\/\//, '');
}

function shortUrl(url: string, line: number): string {
  if (!url) return '';
  const trimmed = url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^.*?\/(packages|services|test)\//, '$1/');
  return `${trimmed}:${line + 1}`;
}

export async function summarizeProfile(file: string, top = 12): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const pkg = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const name = functionName || '(anonymous)';
    const where = shortUrl(url, lineNumber);
    const key = `${name}@${where}`;
    const entry = fn.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    fn.set(key, entry);
    const p = ['(program)', '(garbage collector)'].includes(functionName) ? functionName : packageOf(url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const entries = (list: Array<{ name: string; where: string; us: number }>) =>
    list.sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: e.us / total }));
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    functions: entries([...fn.values()]),
    jsFunctions: entries([...fn.values()].filter((e) => e.where !== '' && !e.where.startsWith('node:'))),
    packages: entries([...pkg.entries()].map(([name, us]) => ({ name, where: '', us }))),
  };
}

/**
 * Starts a CPU profile of this process (node:inspector, 100 µs sampling); the function it returns
 * stops it, writes it to `file` and prints its top JavaScript functions under `title`.
 */
export async function startInProcessProfile(): Promise<(file: string, title: string, top?: number) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async (file, title, top = 15) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(profile));
    const summary = await summarizeProfile(file, top);
    console.log(`\n${title}: top JavaScript self time (${file})`);
    for (const f of summary.jsFunctions) console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
  };
}
