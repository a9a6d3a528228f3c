/**
 * One owner per embedded data folder. PGlite has no locking of its own: two processes on one
 * folder both accept writes and sign diverging transparency-log checkpoints (a signed proof of
 * equivocation), and one of them loses acknowledged writes at the next restart. So whoever opens
 * the folder first writes `owner.lock` into it (created atomically with `link`, which fails when
 * the file exists) and removes it on close; a second opener is refused at once, told who holds
 * the folder and what to do.
 *
 * A lock left by a killed process (kill -9, power loss) is taken over: the holder is dead when no
 * process has its pid, or when the process with that pid started at another moment or in another
 * boot (Linux `/proc/<pid>/stat` start time and the boot id), which guards against pid reuse.
 * Two processes taking over the same dead lock at once are serialised by a second, short-lived
 * `owner.lock.takeover` folder. `proper-lockfile` was considered: it detects stale locks by age
 * (a timer refreshes the mtime), so a killed holder blocks the folder for its stale period and the
 * refusal cannot name the holder's pid.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StorageError } from '../errors.ts';

/** The lock file's name inside the data folder. */
export const LOCK_FILE = 'owner.lock';

/** What the lock file records about its holder. */
export interface LockHolder {
  pid: number;
  /** When the holder took the folder (ISO 8601). */
  since: string;
  host: string;
  /** Linux: the kernel's boot id and the process start time (clock ticks since boot); else null. */
  bootId: string | null;
  processStart: string | null;
  /** Random per lock, so release never removes a lock someone else took since. */
  token: string;
}

/** A held folder; `release` is idempotent. */
export interface FolderLock {
  readonly path: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

/**
 * The folder is held by another live process (code STORAGE_ERROR; `holder` says who).
 *
 * @example
 * catch (e) { if (e instanceof FolderLockedError) console.error(`held by pid ${e.holder.pid}`); }
 */
export class FolderLockedError extends StorageError {
  readonly holder: LockHolder;
  constructor(dataDir: string, holder: LockHolder) {
    super(
      'STORAGE_ERROR',
      `Thư mục dữ liệu ${dataDir} đang được tiến trình ${holder.pid} (máy ${holder.host}, từ ${holder.since}) sử dụng. ` +
        'Hãy dùng dịch vụ đang chạy (pnpm cli tự đi qua dịch vụ đó), hoặc dừng tiến trình ấy (SIGTERM) rồi thử lại.\n' +
        `The data folder ${dataDir} is in use by process ${holder.pid} (host ${holder.host}, since ${holder.since}). ` +
        'Use the running service (pnpm cli goes through it when it runs), or stop that process (SIGTERM) and try again.',
    );
    this.holder = holder;
  }
}

const held = new Map<string, LockHolder>();
let exitHookInstalled = false;

/**
 * Takes the data folder for this process, or throws {@link FolderLockedError} naming the holder.
 * The folder must exist.
 *
 * @example
 * const lock = await lockFolder('/var/lib/trust');
 * try { … } finally { await lock.release(); }
 */
export async function lockFolder(dataDir: string): Promise<FolderLock> {
  const path = join(dataDir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, since: new Date().toISOString(), host: hostname(), ...processIdentity(process.pid), token: randomBytes(12).toString('hex') };
  // Written whole to a private name first, then linked: a reader never sees a half-written lock.
  const draft = `${path}.${process.pid}.${mine.token}`;
  await writeFile(draft, JSON.stringify(mine), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, path);
        held.set(path, mine);
        installExitHook();
        return { path, holder: mine, release: () => releaseLock(path, mine.token) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
      if (text === null) continue; // released meanwhile: try again
      const holder = parseHolder(text);
      if (holder && isAlive(holder)) throw new FolderLockedError(dataDir, holder);
      await takeOver(path, text);
    }
    throw new StorageError('STORAGE_ERROR', `Không lấy được khóa thư mục dữ liệu ${dataDir}; hãy thử lại.\nCould not take the lock of the data folder ${dataDir}; try again.`);
  } finally {
    await unlink(draft).catch(() => {});
  }
}

/**
 * Who holds the folder now (a live holder), or null.
 *
 * @example
 * const holder = await folderHolder('/var/lib/trust'); // { pid: 4242, since: '2026-…', … } or null
 */
export async function folderHolder(dataDir: string): Promise<LockHolder | null> {
  const text = await readFile(join(dataDir, LOCK_FILE), 'utf8').catch(() => null);
  const holder = text === null ? null : parseHolder(text);
  return holder && isAlive(holder) ? holder : null;
}

/** Removes a dead holder's lock, unless someone else replaced it meanwhile. */
async function takeOver(path: string, staleText: string): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await mkdir(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process is taking over; a guard older than a few seconds was left by a killed one.
    const age = Date.now() - (await stat(guard).then((s) => s.mtimeMs, () => Date.now()));
    if (age > 5_000) await rmdir(guard).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    return;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => null);
    if (now === staleText) await unlink(path).catch(() => {});
  } finally {
    await rmdir(guard).catch(() => {});
  }
}

async function releaseLock(path: string, token: string): Promise<void> {
  if (held.get(path)?.token !== token) return;
  held.delete(path);
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text !== null && parseHolder(text)?.token === token) await unlink(path).catch(() => {});
}

/** A process that exits without closing (process.exit, an uncaught error) still frees its folders. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [path, holder] of held) {
      try {
        if (parseHolder(readFileSync(path, 'utf8'))?.token === holder.token) unlinkSync(path);
      } catch {
        // already gone
      }
    }
  });
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.token !== 'string') return null;
    return { pid: value.pid, since: String(value.since ?? '?'), host: String(value.host ?? '?'), bootId: value.bootId ?? null, processStart: value.processStart ?? null, token: value.token };
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  // A holder on another machine (a shared network folder) cannot be checked: assume it lives.
  if (holder.host !== hostname()) return true;
  // Our own pid: held by this process, or left by an earlier process that had the same pid.
  if (holder.pid === process.pid) return [...held.values()].some((h) => h.token === holder.token);
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: a live process of another user.
  }
  if (holder.bootId === null || holder.processStart === null) return true;
  const now = processIdentity(holder.pid);
  if (now.bootId === null || now.processStart === null) return true;
  // The same pid in another boot or started at another moment is another process.
  return now.bootId === holder.bootId && now.processStart === holder.processStart;
}

function processIdentity(pid: number): { bootId: string | null; processStart: string | null } {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses); start time is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { bootId, processStart: fields[19] ?? null };
  } catch {
    return { bootId: null, processStart: null };
  }
}
