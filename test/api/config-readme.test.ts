/**
 * One validated configuration (issue 13): the README's tables of environment variables list
 * exactly the keys of config.ts's zod schema (SETTINGS); config.ts is the only module of the
 * service that reads `process.env`; a bad value stops the start naming the variable, in
 * Vietnamese and English, with an example and the CLI's configuration exit code; the service's
 * defaults are core's (registryOptionsFromEnv, REGISTRY_DEFAULTS).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE, REGISTRY_DEFAULTS, registryOptionsFromEnv } from '@trust-alliance/core';
import { CONFIG_EXIT_CODE, ConfigError, ENV_SCHEMA, loadConfig, SETTINGS } from '../../services/api/src/config.ts';
import { runCli } from '../../services/api/src/cli/main.ts';

const ROOT = new URL('../../', import.meta.url);
/** The only files of the service's and core's sources allowed to read process.env, and why. */
const ENV_READERS = new Set([
  'services/api/src/config.ts', // the configuration
  'packages/core/src/registry-options-from-env.ts', // core's helper for embedders (the service composes it)
  'packages/core/src/testing/test-database.ts', // the test helper's default PostgreSQL URL
]);

async function documented(): Promise<Set<string>> {
  const readme = await readFile(new URL('services/api/README.md', ROOT), 'utf8');
  const names: string[] = [];
  for (const heading of ['## Environment', '## Webhooks']) {
    const section = readme.split(`\n${heading}\n`)[1]!.split('\n## ')[0]!;
    names.push(...section.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1]!.matchAll(/`([A-Za-z][A-Za-z0-9_]+)`/g)].map((m) => m[1]!)));
  }
  return new Set(names);
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'generated' && entry.name !== 'node_modules') out.push(...(await sourceFiles(path)));
    else if (entry.isFile() && /\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

function messageOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('configuration', () => {
  it('documents exactly the variables of the zod schema', async () => {
    const inReadme = await documented();
    const inSchema = new Set(Object.keys(ENV_SCHEMA.shape));
    expect(inSchema).toEqual(new Set(Object.keys(SETTINGS)));
    expect([...inSchema].filter((n) => !inReadme.has(n)), 'in the schema but not in the README').toEqual([]);
    expect([...inReadme].filter((n) => !inSchema.has(n)), 'in the README but not in the schema').toEqual([]);
  });

  it('is read from process.env by config.ts only (core: its env helper and the test helper)', async () => {
    const root = fileURLToPath(ROOT);
    const offenders: string[] = [];
    for (const folder of ['services/api/src', 'packages/core/src']) {
      for (const file of await sourceFiles(join(root, folder))) {
        const name = relative(root, file);
        if (ENV_READERS.has(name)) continue;
        // Code only: comment lines (JSDoc examples) do not read anything.
        const code = (await readFile(file, 'utf8'))
          .split('\n')
          .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
          .join('\n');
        if (/process\s*\.\s*env|process\[['"]env['"]\]/.test(code)) offenders.push(name);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('stops on a bad value naming the variable, in both languages, with an example, without echoing secrets', () => {
    const bad = {
      PORT: '70000', LOG_LEVEL: 'loud', METRICS_PORT: '70000', TRUST_SIGNING_ALG: 'RS256', TRUST_DATA_KEY: 'hunter2-secret', DATABASE_URL: 'mysql://root:hunter2@db/x',
      TRUST_ISSUER: 'registry.example.vn', TRUST_PUBLIC_RATE_LIMIT: '-5', TRUST_TOKEN_RATE_LIMITS: 'ROOT=1', TRUST_INTROSPECTION: 'yes', TRUST_WEBHOOKS: 'maybe',
      TRUST_WEBHOOKS_POLL_MS: '1', TRUST_OIDC_ALGORITHMS: 'EdDSA;ES256', TRUST_STATUS_LIST_TTL: '5m',
    } as const;
    for (const [name, value] of Object.entries(bad)) {
      const message = messageOf(() => loadConfig({ [name]: value }));
      expect(message, name).toMatch(new RegExp(`^${name}: .*\\(ví dụ ${name}=.*\\) / ${name}: .*\\(e\\.g\\. ${name}=`));
      expect(message, name).not.toContain('hunter2');
    }
    // Each bad variable on its own line when there are several.
    expect(messageOf(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).split('\n').map((l) => l.split(':')[0])).toEqual(['PORT', 'LOG_LEVEL']);
    expect(messageOf(() => loadConfig({ TRUST_OIDC_ISSUER: 'https://login.example.vn' }))).toMatch(/^TRUST_OIDC_ISSUER: cần cả .* \/ TRUST_OIDC_ISSUER: needs TRUST_OIDC_JWKS_URL/);
    // What only core can judge (replicas against their primary) is reported the same way, naming the variable once per language.
    expect(messageOf(() => loadConfig({ DATABASE_READ_URL: 'postgresql://reader@replica-1/trust' }))).toMatch(/^DATABASE_READ_URL: cần DATABASE_URL \(máy chủ chính\) \(ví dụ .*\) \/ DATABASE_READ_URL: needs DATABASE_URL \(the primary its replicas follow\) \(e\.g\. /);
    expect(messageOf(() => loadConfig({ DATABASE_URL: 'postgresql://p@db/trust', DATABASE_READ_URL: 'postgresql://p@db/trust' }))).toMatch(/^DATABASE_READ_URL: nêu chính DATABASE_URL.* \/ DATABASE_READ_URL: names DATABASE_URL itself/);
  });

  it('exits with the CLI exit code of a configuration that cannot work (4, as storage and keys)', async () => {
    expect(CONFIG_EXIT_CODE).toBe(4);
    expect(CONFIG_EXIT_CODE).toBe(ERROR_TABLE.KEY_ERROR.exitCode);
    let caught: unknown;
    try {
      loadConfig({ LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).exitCode).toBe(4);
    const saved = process.env.TRUST_PROXY_HOPS;
    process.env.TRUST_PROXY_HOPS = 'eleven';
    const err: string[] = [];
    try {
      // Validated before the command runs: nothing is opened.
      expect(await runCli(['verify', 'https://facebook.com/x.y'], { out: () => {}, err: (t) => err.push(t) })).toBe(4);
    } finally {
      if (saved === undefined) delete process.env.TRUST_PROXY_HOPS;
      else process.env.TRUST_PROXY_HOPS = saved;
    }
    expect(err.join('\n')).toMatch(/TRUST_PROXY_HOPS: phải là .* \/ TRUST_PROXY_HOPS: must be/);
  });

  it('has one default each, agreeing with core: metrics off, loopback, info logs, EdDSA, ./.data, port 4000 as the issuer', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', metrics: null, logLevel: 'info', signingAlgorithm: REGISTRY_DEFAULTS.signingAlgorithm, dataKey: undefined, databaseUrl: undefined, issuer: REGISTRY_DEFAULTS.issuer, introspection: true, loadShedding: true, production: false });
    expect(config.dataDir).toBe(join(process.cwd(), REGISTRY_DEFAULTS.dataDir));
    expect(config.webhooks).toEqual({ enabled: true, allowLoopback: false, worker: {} });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ host: '0.0.0.0', introspection: false, production: true });
    expect(loadConfig({ NODE_ENV: 'production', TRUST_INTROSPECTION: '1' }).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).loadShedding).toBe(false);
    expect(loadConfig({ TRUST_TOKEN_RATE_LIMITS: 'MEMBER=5' }).tokenRateLimits.MEMBER).toBe(5);
    expect(loadConfig({ TRUST_WEBHOOKS: 'off', TRUST_WEBHOOKS_POLL_MS: '50' }).webhooks).toEqual({ enabled: false, allowLoopback: false, worker: { pollMs: 50 } });
  });

  it('takes core’s variables as core reads them (registryOptionsFromEnv)', () => {
    const env = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/r', TRUST_DATA_DIR: '/srv/registry', TRUST_DATA_KEY: 'A'.repeat(43), TRUST_ISSUER: 'https://registry.example.vn', TRUST_SIGNING_ALG: 'ES256' };
    const core = registryOptionsFromEnv(env);
    const config = loadConfig(env);
    expect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, dataKey: config.dataKey, issuer: config.issuer, signingAlgorithm: config.signingAlgorithm }).toEqual(core);
    expect(registryOptionsFromEnv({})).toEqual({});
  });
});
