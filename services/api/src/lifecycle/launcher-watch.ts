/**
 * `pnpm start` and SIGTERM. pnpm answers SIGTERM by killing its shell and exiting, without passing
 * the signal on to the service; through the root script there are two pnpm processes, and the
 * inner one survives. Either way the service would keep running, holding the data folder, while
 * the supervisor believes it stopped. So, when started by a package manager, the service watches
 * the chain of launchers above it (pnpm, npm, yarn and the shells they run, up to the outermost
 * package manager; not the user's shell, so `nohup pnpm start &` survives a logout) and stops as
 * if sent SIGTERM when any of them is gone. Linux reads the chain from /proc; elsewhere only the
 * direct parent is watched.
 */
import { readFileSync } from 'node:fs';
import { processIsAlive } from './process-alive.ts';

const LAUNCHER = /(^|[/\s])(pnpm|npm|npx|yarn|corepack)(\.c?js)?(\s|$)|pnpm\.c?js|npm-cli\.js|yarn\.c?js/;
const SHELL = /^(\/\S*\/)?(sh|dash|bash)\s+-c\s/;

/**
 * Calls `onGone` (once) when a launcher above this process exits or is orphaned (its parent, a
 * launcher or shell of the chain, is gone). Call it as early as possible: the chain is read from
 * /proc now, and a launcher killed before that is no longer seen. Returns a stop function.
 *
 * @example
 * if (config.underPackageManager) watchLaunchers(() => void shutdown('launcher exited'));
 */
export function watchLaunchers(onGone: () => void, intervalMs = 1_000): () => void {
  const chain = launcherChain(process.ppid);
  const parent = process.ppid;
  let fired = false;
  const timer = setInterval(() => {
    if (fired) return;
    if (process.ppid !== parent || chain.some((link) => !linkHolds(link))) {
      fired = true;
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** One process of the chain and the parent it had when the chain was read (null without /proc). */
export interface ChainLink {
  pid: number;
  ppid: number | null;
}

/** Still running, under the same parent: a launcher whose shell was killed is reparented. */
function linkHolds(link: ChainLink): boolean {
  if (!processIsAlive(link.pid)) return false;
  if (link.ppid === null) return true;
  const info = processInfo(link.pid);
  // A zombie (killed, not yet reaped) counts as gone.
  return info !== null && info.ppid === link.ppid && info.state !== 'Z';
}

/** Ancestors from `pid` up to the outermost package manager (only `pid` without /proc). */
export function launcherChain(pid: number): ChainLink[] {
  const seen: Array<ChainLink & { launcher: boolean }> = [];
  for (let current = pid; current > 1 && seen.length < 16; ) {
    const info = processInfo(current);
    if (!info) break;
    const launcher = LAUNCHER.test(info.cmdline);
    if (!launcher && !SHELL.test(info.cmdline)) break;
    seen.push({ pid: current, ppid: info.ppid, launcher });
    current = info.ppid;
  }
  const last = seen.map((p) => p.launcher).lastIndexOf(true);
  return last < 0 ? [{ pid, ppid: null }] : seen.slice(0, last + 1).map(({ pid: p, ppid }) => ({ pid: p, ppid }));
}

function processInfo(pid: number): { cmdline: string; ppid: number; state: string } | null {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppidText] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(ppidText);
    return Number.isInteger(ppid) ? { cmdline, ppid, state: state ?? '' } : null;
  } catch {
    return null;
  }
}
