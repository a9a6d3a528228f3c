/**
 * Starts the real service in a child process over an embedded database, for the tests where
 * the process itself matters (signals, start-up settings): it reports its origin once it
 * listens, or rejects with its output if it exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServiceProcess {
  child: ChildProcess;
  /** The origin once it listens; rejects if it exits first. */
  origin: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Everything it printed so far (stdout then stderr), for failure messages. */
  output(): string;
}

/**
 * Spawns `command args` in `cwd` with PORT 0 on 127.0.0.1 and `TRUST_DATA_DIR=dataDir`, never
 * on a shared PostgreSQL or Redis (those variables, and TRUST_DATA_KEY, are removed).
 * @example const service = startServiceProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd, dataDir });
 */
export function startServiceProcess(command: string, args: string[], options: { cwd: string; dataDir: string; env?: Record<string, string>; unset?: string[] }): ServiceProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', TRUST_DATA_DIR: options.dataDir, ...options.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'TRUST_DATA_KEY', ...(options.unset ?? [])]) delete env[name];
  const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  const origin = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /API on (http:\/\/[^/\s]+)\/graphql/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exit.then(({ code }) => reject(new Error(`the service exited (${code}) before listening: ${stderr || stdout}`)));
  });
  return { child, origin, exit, output: () => `stdout:\n${stdout}\nstderr:\n${stderr}` };
}
