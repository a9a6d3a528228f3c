// Starts the compiled service exactly as "Run in production" in the README says
// (NODE_ENV=production node --conditions=trust-alliance-dist services/api/dist/main.js), over an
// embedded database in a folder of its own, on a free loopback port that is also its issuer.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** Resolves once the service listens; `stop()` sends SIGTERM and waits for the exit. */
export async function startCompiledService(root, dataDir, extraEnv = {}) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), TRUST_ISSUER: origin, TRUST_DATA_DIR: dataDir, ...extraEnv };
  // Never the shared PostgreSQL or Redis of a CI run, nor a developer's key.
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'TRUST_DATA_KEY', 'npm_lifecycle_event']) delete env[name];
  const child = spawn(process.execPath, ['--conditions=trust-alliance-dist', join(root, 'services/api/dist/main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((done) => child.on('exit', (code) => done(code)));
  await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the compiled service did not listen within 180 s:\n${output}`)), 180_000);
    const check = () => {
      if (output.includes(`API on ${origin}/graphql`)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`the compiled service exited (${code}) before listening:\n${output}`));
    });
  });
  // Load shedding (on in production) answers anonymous callers 503 while the event loop still
  // lags from start-up (wasm, migrations, the demo seed); the scripts below are anonymous and
  // cannot all retry, so wait until an anonymous route is served.
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${origin}/.well-known/jwks.json`);
    await res.arrayBuffer();
    if (res.status === 200) break;
    if (attempt >= 60) throw new Error(`the compiled service still answers ${res.status} a minute after start-up`);
    await new Promise((done) => setTimeout(done, 1000));
  }
  return {
    origin,
    issuer: origin,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
