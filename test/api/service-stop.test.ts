/**
 * Clean stops and one owner per folder, on the real service process (issue 10, items 1 and 6).
 * The documented production command, `node --import tsx services/api/src/main.ts`, stops on
 * SIGTERM with exit code 0, removes `api-service.json` and releases the data folder, which opens
 * right after; a second service on the same folder is refused while the first runs, naming it.
 * `pnpm start` stops too when pnpm gets SIGTERM (pnpm exits without passing the signal on).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '@trust-alliance/core';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';
import { registryInternals } from '@trust-alliance/core/testing';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = 'services/api/src/main.ts';
const children: ChildProcess[] = [];
let dataDir: string;

beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'trust-stop-')), 'data');
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(join(dataDir, '..'), { recursive: true, force: true });
});

function start(command: string, args: string[]): ServiceProcess {
  const service = startServiceProcess(command, args, { cwd: ROOT, dataDir, unset: ['npm_lifecycle_event'] });
  children.push(service.child);
  return service;
}

/** The processes still running from this checkout, to tell why a service did not stop. */
function processTree(): string {
  try {
    return execFileSync('ps', ['-eo', 'pid,ppid,stat,args'], { encoding: 'utf8' }).split('\n').filter((line) => /pnpm|main\.ts|sh -c/.test(line)).join('\n');
  } catch {
    return '(ps failed)';
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);

async function until(check: () => Promise<boolean>, what: string, limitMs = 60_000, output = () => ''): Promise<void> {
  for (const started = Date.now(); !(await check()); ) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting: ${what}\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function opensRightAfter(): Promise<void> {
  const registry = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
  try {
    expect(await registryInternals(registry).context.prisma.member.count()).toBeGreaterThan(0);
  } finally {
    await registry.close();
  }
}

describe('the service process', { timeout: 900_000 }, () => {
  it('refuses a second service on its folder, and stops cleanly on SIGTERM to the documented command', async () => {
    const service = start(process.execPath, ['--import', 'tsx', MAIN]);
    const origin = await service.origin;
    // The V8 flags it gives itself at start (lifecycle/heap-tuning.ts), in its first log lines.
    expect(service.output()).toContain('"v8Flags":["--no-allocation-site-pretenuring","--heap-growing-percent=100"]');
    expect(await exists(join(dataDir, 'api-service.json'))).toBe(true);
    const answer = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(answer.status).toBe(200);

    const second = start(process.execPath, ['--import', 'tsx', MAIN]);
    await expect(second.origin).rejects.toThrow();
    const refused = await second.exit;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`process ${service.child.pid}`);
    expect(refused.stderr).toMatch(/Use the running service/);
    expect(refused.stderr).not.toMatch(/\n\s+at /); // a message, not a stack

    service.child.kill('SIGTERM');
    expect(await service.exit).toMatchObject({ code: 0, signal: null });
    expect(await exists(join(dataDir, 'api-service.json'))).toBe(false);
    expect(await exists(join(dataDir, 'owner.lock'))).toBe(false);
    await opensRightAfter();
  });

  it('stops `pnpm start` when pnpm is sent SIGTERM', async () => {
    const service = start('pnpm', ['start']);
    await service.origin;
    service.child.kill('SIGTERM');
    await service.exit;
    // pnpm is gone at once; the service notices within about a second and stops on its own.
    await until(async () => !(await exists(join(dataDir, 'owner.lock'))) && !(await exists(join(dataDir, 'api-service.json'))), 'the service to release the folder', 60_000, () => `${service.output()}\nlaunchers: ${processTree()}`);
    await opensRightAfter();
  });
});
