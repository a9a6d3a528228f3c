// The packaging test (run by .ci/run after both test runs): builds everything, packs the
// libraries, checks the tarballs with publint and attw, installs them with npm in an empty
// folder outside the workspace and proves, with nothing from the monorepo on the resolution path:
//   (a) a plain `node` ESM script verifies an attestation from a running registry;
//   (b) a strict TypeScript project (moduleResolution node16) type-checks an import of each package;
//   (c) an `esbuild --platform=browser` bundle of the verifier holds no Node built-in and verifies
//       an attestation (run under Node: the bundle is what a browser would load);
//   (d) core from its tarball opens an embedded registry in a temporary folder, migrates it and
//       answers `verify`.
// The running registry is the compiled service started with the documented production command,
// and it also gets the HTTP smoke test (scripts/packaging/smoke-http.mjs).
// npm fetches the tarballs' own dependencies from the npm registry; nothing else downloads.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { builtinModules } from 'node:module';
import { fetchPastShedding, smokeHttp } from './packaging/smoke-http.mjs';
import { startCompiledService } from './packaging/compiled-service.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'node_modules/.bin');
const LIBRARIES = ['verifier', 'core'];
const work = await mkdtemp(join(tmpdir(), 'trust-packaging-'));
const keep = process.argv.includes('--keep');

/** Runs a command (async: a blocking call would freeze undici's timers in this process). */
function run(command, args, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`${command} ${args.join(' ')} exited ${code}\n${out}`))));
  });
}

function step(title) {
  console.log(`== packaging: ${title}`);
}

let service;
try {
  step('pnpm build');
  await run('pnpm', ['build'], { cwd: ROOT });

  step('pnpm -r pack');
  const tarballs = join(work, 'tarballs');
  await mkdir(tarballs);
  await run('pnpm', ['-r', 'pack', '--pack-destination', tarballs], { cwd: ROOT });
  const tgz = (name) => join(tarballs, `trust-alliance-${name}-0.1.0.tgz`);
  for (const name of LIBRARIES) if (!existsSync(tgz(name))) throw new Error(`no tarball for ${name}`);

  for (const name of LIBRARIES) {
    step(`publint and attw on @trust-alliance/${name}`);
    const unpacked = join(work, 'unpacked', name);
    await mkdir(unpacked, { recursive: true });
    await run('tar', ['xzf', tgz(name), '-C', unpacked]);
    console.log((await run(join(BIN, 'publint'), [join(unpacked, 'package'), '--pack', 'false', '--strict'])).trim());
    // ESM only, on purpose: the CommonJS resolutions (node10, require from node16) are not offered.
    console.log((await run(join(BIN, 'attw'), [tgz(name), '--profile', 'esm-only', '--format', 'table-flipped'])).trim());
  }

  step('npm install of the tarballs in an empty folder outside the workspace');
  const app = join(work, 'consumer');
  await mkdir(app);
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { '@trust-alliance/verifier': `file:${tgz('verifier')}`, '@trust-alliance/core': `file:${tgz('core')}` },
      // Only for (b): the Node types a strict project needs to compile core's declarations.
      devDependencies: { '@types/node': '20.19.43' },
    }),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app });

  step('the compiled service, started with the production command');
  service = await startCompiledService(ROOT, join(work, 'service-data'));
  console.log(`   running at ${service.origin}`);
  const smoke = await smokeHttp(service.origin);
  console.log(`   HTTP smoke: ${smoke.join(', ')}`);
  const answer = await (await fetchPastShedding(`${service.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ verify(input: { url: "https://m.facebook.com/TinNhiemSo.CanTho/" }) { status attestation } }' }),
  })).json();
  const jws = answer.data?.verify?.attestation;
  if (typeof jws !== 'string') throw new Error(`no attestation from the running registry: ${JSON.stringify(answer)}`);
  const issuer = service.issuer;

  step('(a) plain node ESM script verifies the attestation with the verifier');
  await writeFile(
    join(app, 'verify.mjs'),
    `import { StatusListCache, jwksUrlFor, verifyAttestation } from '@trust-alliance/verifier';
const [jws, issuer] = process.argv.slice(2);
const result = await verifyAttestation(jws, { issuer, jwksUrl: jwksUrlFor(issuer), statusList: new StatusListCache() });
if (!result.valid) { console.error(JSON.stringify(result.errors)); process.exit(1); }
console.log('valid attestation for', result.claims.sub);
`,
  );
  console.log(`   ${(await run(process.execPath, ['verify.mjs', jws, issuer], { cwd: app })).trim()}`);

  step('(b) strict TypeScript, moduleResolution node16, imports each package');
  await writeFile(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['check.ts'] }),
  );
  await writeFile(
    join(app, 'check.ts'),
    `import { verifyAttestation, type AttestationClaims } from '@trust-alliance/verifier';
import { openRegistry, type Registry, type RegistryOptions } from '@trust-alliance/core';
import { openTestRegistry } from '@trust-alliance/core/testing';
const options: RegistryOptions = { dataDir: 'memory://' };
const open: (o: RegistryOptions) => Promise<Registry> = openRegistry;
const claims: AttestationClaims | undefined = undefined;
export { verifyAttestation, open, options, claims, openTestRegistry };
`,
  );
  await run(join(BIN, 'tsc'), ['-p', app]);
  console.log('   tsc: no error');

  step('(c) esbuild --platform=browser bundle of the verifier');
  await writeFile(
    join(app, 'browser-entry.js'),
    `export { StatusListCache, jwksUrlFor, verifyAttestation } from '@trust-alliance/verifier';\n`,
  );
  const bundle = join(app, 'verifier.browser.js');
  await run(join(BIN, 'esbuild'), ['browser-entry.js', '--bundle', '--platform=browser', '--format=esm', '--minify', `--outfile=${bundle}`, `--metafile=${bundle}.meta.json`], { cwd: app });
  const meta = JSON.parse(await readFile(`${bundle}.meta.json`, 'utf8'));
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const inputs = Object.values(meta.inputs).flatMap((input) => input.imports.map((i) => i.path));
  const nodeImports = inputs.filter((path) => builtins.has(path) || path.startsWith('node:'));
  const code = await readFile(bundle);
  if (nodeImports.length > 0 || /\bfrom\s*["']node:|require\(["'](node:)?(crypto|fs|zlib|buffer|path|util)["']\)/.test(code.toString())) {
    throw new Error(`the browser bundle imports Node built-ins: ${nodeImports.join(', ')}`);
  }
  console.log(`   ${code.length} bytes minified, ${gzipSync(code).length} bytes gzipped, ${Object.keys(meta.inputs).length} inputs, no Node built-in`);
  await writeFile(
    join(app, 'verify-bundle.mjs'),
    `import { StatusListCache, jwksUrlFor, verifyAttestation } from './verifier.browser.js';
const [jws, issuer] = process.argv.slice(2);
const result = await verifyAttestation(jws, { issuer, jwksUrl: jwksUrlFor(issuer), statusList: new StatusListCache() });
if (!result.valid) { console.error(JSON.stringify(result.errors)); process.exit(1); }
console.log('the browser bundle verified the attestation of', result.claims.sub);
`,
  );
  console.log(`   ${(await run(process.execPath, ['verify-bundle.mjs', jws, issuer], { cwd: app })).trim()}`);

  step('(d) core from its tarball opens an embedded registry, migrates it and answers verify');
  const dataDir = join(work, 'embedded');
  await writeFile(
    join(app, 'embed.mjs'),
    `import { openRegistry } from '@trust-alliance/core';
const registry = await openRegistry({ dataDir: process.argv[2], onProgress: () => {} });
try {
  const { applied, alreadyApplied } = registry.migrations;
  const answer = await registry.verify({ url: 'https://www.facebook.com/someone.unknown' });
  if (answer.status !== 'NOT_FOUND') throw new Error('unexpected answer ' + answer.status);
  console.log(\`migrations applied: \${applied.length + alreadyApplied.length}; verify answered \${answer.status}\`);
} finally {
  await registry.close();
}
`,
  );
  const migrationCount = (await readdir(join(ROOT, 'packages/core/prisma/migrations'), { withFileTypes: true })).filter((e) => e.isDirectory()).length;
  const embedded = (await run(process.execPath, ['embed.mjs', dataDir], { cwd: app })).trim();
  if (!embedded.startsWith(`migrations applied: ${migrationCount};`)) throw new Error(`core applied other migrations than the ${migrationCount} of the package: ${embedded}`);
  console.log(`   ${embedded}`);
  step('all good');
} finally {
  await service?.stop();
  if (keep) console.log(`kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}
