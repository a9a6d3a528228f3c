/**
 * The README's table of environment variables and the code that reads them agree: every variable
 * the configuration reads (config.ts, its zod SETTINGS and the parsers it calls) is documented, and
 * the table names no variable that nothing reads. A bad value stops the start naming the variable,
 * in Vietnamese and English, with an example.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig, SETTINGS } from '../../services/api/src/config.ts';

const ROOT = new URL('../../', import.meta.url);
const READERS = ['services/api/src/config.ts', 'services/api/src/auth/oidc.ts', 'services/api/src/server/rate-limit.ts', 'services/api/src/http/client-address.ts', 'services/api/src/server/create-yoga.ts'];
/** Read by the process itself or by pnpm, not settings of the service. */
const NOT_SETTINGS = new Set(['INIT_CWD', 'npm_lifecycle_event']);

async function documented(): Promise<Set<string>> {
  const readme = await readFile(new URL('services/api/README.md', ROOT), 'utf8');
  const section = readme.split('## Environment')[1]!.split('\n## ')[0]!;
  const names = section.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
  return new Set(names);
}

async function read(): Promise<Set<string>> {
  const names = new Set<string>(Object.keys(SETTINGS));
  for (const file of READERS) {
    const text = await readFile(new URL(file, ROOT), 'utf8');
    for (const m of text.matchAll(/env\.([A-Za-z_][A-Za-z0-9_]*)/g)) if (!NOT_SETTINGS.has(m[1]!)) names.add(m[1]!);
  }
  return names;
}

describe('configuration', () => {
  it('documents exactly the variables it reads', async () => {
    const [inReadme, inCode] = [await documented(), await read()];
    expect([...inCode].filter((n) => !inReadme.has(n)), 'read but not in the README').toEqual([]);
    expect([...inReadme].filter((n) => !inCode.has(n)), 'in the README but never read').toEqual([]);
  });

  it('stops on a bad value naming the variable, in both languages, with an example, without echoing secrets', () => {
    for (const [name, value] of [['LOG_LEVEL', 'loud'], ['METRICS_PORT', '70000'], ['TRUST_SIGNING_ALG', 'RS256'], ['TRUST_DATA_KEY', 'hunter2-secret']] as const) {
      let message = '';
      try {
        loadConfig({ [name]: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, name).toMatch(new RegExp(`^${name}: .*\\(ví dụ ${name}=.*\\) / ${name}: .*\\(e\\.g\\. ${name}=`));
    }
    let keyMessage = '';
    try {
      loadConfig({ TRUST_DATA_KEY: 'hunter2-secret' });
    } catch (error) {
      keyMessage = (error as Error).message;
    }
    expect(keyMessage).not.toContain('hunter2');
  });

  it('has one default each: metrics off, on loopback when on, info logs, EdDSA', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ metrics: null, logLevel: 'info', signingAlgorithm: 'EdDSA', dataKey: undefined });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
  });
});
