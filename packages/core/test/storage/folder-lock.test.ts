/**
 * One owner per embedded data folder (issue 10, item 1): a second process is refused at once and
 * told who holds the folder; a holder killed with SIGKILL leaves a lock that the next opener takes
 * over; a lock whose pid now belongs to another process is taken over too. The folder is 0700 and
 * its files 0600 (item 8), and a folder that cannot be written gets its own message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, RegistryError } from '../../src/index.ts';
import { LOCK_FILE } from '../../src/storage/folder-lock.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/open-folder.ts', import.meta.url));
const folders: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

// Creating an embedded database is slow on a loaded machine: make one, copy it for each test.
let template: string;
beforeAll(async () => {
  template = await newFolder(false);
  await (await openRegistry({ dataDir: template, databaseUrl: '', dataKey: '' })).close();
}, 300_000);

async function newFolder(copy = true): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trust-lock-'));
  folders.push(dir);
  if (copy) await cp(template, join(dir, 'data'), { recursive: true });
  return join(dir, 'data');
}

interface Outcome {
  open: boolean;
  pid?: number;
  memberId?: string;
  code?: string | null;
  message?: string;
}

/** Starts the fixture; resolves with its first line of output. */
function runOpener(dataDir: string, mode: 'hold' | 'once', options: { uid?: number; gid?: number } = {}): { child: ChildProcess; first: Promise<Outcome>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRUST_DATA_KEY: '', DATABASE_URL: '' }, ...options });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = new Promise<Outcome>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as Outcome));
    child.once('exit', (code) => reject(new Error(`opener exited (${code}) before answering: ${stderr}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, first, exit };
}

async function modes(dir: string): Promise<Array<{ path: string; mode: number; dir: boolean }>> {
  const out: Array<{ path: string; mode: number; dir: boolean }> = [];
  const info = await stat(dir);
  out.push({ path: dir, mode: info.mode & 0o777, dir: true });
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await modes(path)));
    else if (entry.isFile()) out.push({ path, mode: (await stat(path)).mode & 0o777, dir: false });
  }
  return out;
}

describe('one owner per embedded data folder', { timeout: 300_000 }, () => {
  it('refuses a second process at once, naming the holder, and lets it in once the holder stops', async () => {
    const dataDir = await newFolder();
    const holder = runOpener(dataDir, 'hold');
    const held = await holder.first;
    expect(held.open).toBe(true);

    // This process is the second opener.
    const refused = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RegistryError);
    expect(refused).toMatchObject({ code: 'STORAGE_ERROR' });
    const message = (refused as Error).message;
    expect(message).toContain(`process ${held.pid}`);
    expect(message).toContain(`tiến trình ${held.pid}`);
    expect(message).toMatch(/Use the running service/);
    expect(message).toMatch(/since \d{4}-\d{2}-\d{2}T/);

    // A third process is refused the same way.
    const third = runOpener(dataDir, 'once');
    expect(await third.first).toMatchObject({ open: false, code: 'STORAGE_ERROR' });
    expect(await third.exit).toBe(1);

    holder.child.kill('SIGTERM');
    expect(await holder.exit).toBe(0);
    const after = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
    try {
      expect((await after.getMember(held.memberId!))?.displayName).toBe('Người Giữ Thư Mục');
    } finally {
      await after.close();
    }
    await expect(stat(join(dataDir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over the lock of a holder killed with SIGKILL and keeps its acknowledged write', async () => {
    const dataDir = await newFolder();
    const holder = runOpener(dataDir, 'hold');
    const held = await holder.first;
    holder.child.kill('SIGKILL');
    await holder.exit;
    // The dead holder's lock is still there…
    expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: held.pid });
    // …and the next opener takes it over.
    const next = runOpener(dataDir, 'once');
    expect(await next.first).toMatchObject({ open: true });
    const registry = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
    try {
      expect((await registry.getMember(held.memberId!))?.displayName).toBe('Người Giữ Thư Mục');
    } finally {
      await registry.close();
    }
  });

  it('takes over a lock whose pid now belongs to another process (pid reuse)', async () => {
    const dataDir = await newFolder();
    // pid 1 lives, but it is not the process that wrote this lock: its start time differs.
    const stale = { pid: 1, since: '2026-01-01T00:00:00.000Z', host: hostname(), bootId: 'another-boot', processStart: '1', token: 'stale' };
    await writeFile(join(dataDir, LOCK_FILE), JSON.stringify(stale));
    const registry = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
    try {
      expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await registry.close();
    }
  });

  it('refuses a second open of the same folder in the same process', async () => {
    const dataDir = await newFolder();
    const first = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
    try {
      await expect(openRegistry({ dataDir, databaseUrl: '', dataKey: '' })).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: expect.stringContaining(`process ${process.pid}`) });
    } finally {
      await first.close();
    }
  });
});

describe('data folder permissions', { timeout: 300_000 }, () => {
  it('keeps the folder 0700 and every file 0600, also files created while the database runs and files left 0666 before', async () => {
    const dataDir = await newFolder(false);
    const first = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
    for (let i = 0; i < 20; i++) await first.registerMember({ kind: 'KOL', displayName: `Thành Viên ${i}` });
    await first.close();
    const all = await modes(dataDir);
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((f) => f.mode !== (f.dir ? 0o700 : 0o600)).map((f) => `${f.path} ${f.mode.toString(8)}`)).toEqual([]);

    // A folder written before this rule (files 0666) is tightened at the next open.
    const loose = all.filter((f) => !f.dir).slice(0, 50);
    for (const f of loose) await chmod(f.path, 0o666);
    await chmod(dataDir, 0o777);
    const second = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
    await second.close();
    expect((await modes(dataDir)).filter((f) => f.mode !== (f.dir ? 0o700 : 0o600))).toEqual([]);
  });

  it('says a read-only folder cannot be written, not that another process holds it', async () => {
    const dataDir = await newFolder();
    let outcome: Outcome;
    if (process.getuid?.() === 0) {
      // root writes anywhere: open as an unprivileged user a folder it may read but not write.
      await chmod(join(dataDir, '..'), 0o755);
      await chmod(dataDir, 0o755);
      for (const f of await modes(dataDir)) await chmod(f.path, f.dir ? 0o755 : 0o644);
      const opener = runOpener(dataDir, 'once', { uid: 65534, gid: 65534 });
      outcome = await opener.first;
    } else {
      await chmod(dataDir, 0o555);
      outcome = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' }).then(
        async (r) => (await r.close(), { open: true }),
        (e: RegistryError) => ({ open: false, code: e.code, message: e.message }),
      );
      await chmod(dataDir, 0o700);
    }
    expect(outcome).toMatchObject({ open: false, code: 'STORAGE_ERROR' });
    expect(outcome.message).toMatch(/cannot be written \(read-only or no permission\)/);
    expect(outcome.message).toMatch(/Không ghi được/);
    expect(outcome.message).not.toMatch(/another process|in use by/);
  });
});
