/**
 * A throwaway PostgreSQL primary with one streaming replica, for the read-replica test and the
 * bench's replica row: Debian's PostgreSQL 15 binaries, free ports, a temporary folder, and
 * everything stopped and removed afterwards (also when the test process exits early). initdb
 * refuses to run as root, so as root the binaries run as the `postgres` user (runuser).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

/** The part of `pg` the tests use (pg ships no types and @types/pg is not a dependency of test/). */
export interface AdminClient {
  query<R = Record<string, unknown>>(text: string): Promise<{ rows: R[] }>;
  connect(): Promise<void>;
  end(): Promise<void>;
}
/** A plain connection for administrative statements (pausing replay, writes the registry does not know of). */
export function adminClient(connectionString: string): AdminClient {
  const pg = createRequire(import.meta.url)('pg') as { Client: new (options: { connectionString: string }) => AdminClient };
  return new pg.Client({ connectionString });
}

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_BASEBACKUP = existsSync(join(PG_BIN, 'pg_basebackup')) ? join(PG_BIN, 'pg_basebackup') : '/usr/bin/pg_basebackup';
const RUNUSER = '/usr/sbin/runuser';
const asRoot = process.getuid?.() === 0;

/** Why a cluster cannot be started here (missing binaries), or null when it can. */
export function clusterUnavailable(): string | null {
  const missing = [join(PG_BIN, 'initdb'), join(PG_BIN, 'pg_ctl'), join(PG_BIN, 'postgres'), PG_BASEBACKUP, ...(asRoot ? [RUNUSER] : [])].filter((p) => !existsSync(p));
  if (missing.length > 0) return `PostgreSQL 15 binaries missing (${missing.join(', ')}): apt-get install postgresql-15${asRoot ? ' util-linux' : ''}`;
  if (asRoot && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root, but there is no `postgres` user to run initdb as';
  return null;
}

export interface ReplicatedCluster {
  readonly dir: string;
  readonly primaryUrl: string;
  readonly replicaUrl: string;
  /** The replica's server log (it logs every statement: the test counts the lookups it served). */
  readonly replicaLog: string;
  /** Stops the replica (fast shutdown: its connections are cut). */
  stopReplica(): Promise<void>;
  /** Stops both servers and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

function command(bin: string, args: readonly string[]): [string, string[]] {
  return asRoot ? [RUNUSER, ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
}

function run(bin: string, args: readonly string[], cwd = tmpdir()): Promise<void> {
  const [cmd, argv] = command(bin, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a primary and a streaming replica of it (pg_basebackup -R).
 * @example const cluster = await startReplicatedCluster(); try { … } finally { await cluster.stop(); }
 */
export async function startReplicatedCluster(options: { settings?: string; logStatements?: boolean } = {}): Promise<ReplicatedCluster> {
  // As root, under /tmp (world-traversable), whatever TMPDIR says: the postgres user must reach it.
  const dir = await mkdtemp(join(asRoot ? '/tmp' : tmpdir(), 'trust-replica-'));
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    await chown(dir, id('-u'), id('-g'));
  }
  const primary = join(dir, 'primary');
  const replica = join(dir, 'replica');
  const replicaLog = join(dir, 'replica.log');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const settings = options.settings ?? '-c shared_buffers=16MB -c max_connections=60';
  const serverOptions = (port: number, extra: string) => `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off ${settings} ${extra}`;
  let started: string[] = [];
  const stopServers = (mode: 'fast' | 'immediate') => Promise.all(started.map((d) => run(join(PG_BIN, 'pg_ctl'), ['-D', d, '-m', mode, '-w', 'stop']).catch(() => {})));
  // Last resort when the test process exits without its afterAll (a crash): no server outlives it.
  const onExit = () => {
    for (const d of started) {
      const [cmd, argv] = command(join(PG_BIN, 'pg_ctl'), ['-D', d, '-m', 'immediate', 'stop']);
      spawnSync(cmd, argv, { stdio: 'ignore', cwd: tmpdir() });
    }
    spawnSync('rm', ['-rf', dir]);
  };
  process.once('exit', onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopServers('immediate');
    started = [];
    process.removeListener('exit', onExit);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run(join(PG_BIN, 'initdb'), ['-D', primary, '-U', 'postgres', '--auth=trust', '-N', '-E', 'UTF8', '--locale=C']);
    await run(join(PG_BIN, 'pg_ctl'), ['-D', primary, '-l', join(dir, 'primary.log'), '-w', '-t', '60', '-o', serverOptions(primaryPort, '-c wal_level=replica -c max_wal_senders=4'), 'start']);
    started.push(primary);
    await run(PG_BASEBACKUP, ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replica, '-R', '-X', 'stream', '-c', 'fast']);
    await run(join(PG_BIN, 'pg_ctl'), ['-D', replica, '-l', replicaLog, '-w', '-t', '60', '-o', serverOptions(replicaPort, `-c hot_standby=on ${options.logStatements === false ? '' : "-c log_statement=all -c log_line_prefix='%m '"}`), 'start']);
    started.push(replica);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dir,
    primaryUrl: `postgresql://postgres@127.0.0.1:${primaryPort}/postgres`,
    replicaUrl: `postgresql://postgres@127.0.0.1:${replicaPort}/postgres`,
    replicaLog,
    stopReplica: async () => {
      await run(join(PG_BIN, 'pg_ctl'), ['-D', replica, '-m', 'fast', '-w', 'stop']);
      started = started.filter((d) => d !== replica);
    },
    stop,
  };
}
