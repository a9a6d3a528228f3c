/**
 * The README's example is real: it is examples/quick-start.ts verbatim, and running it
 * verifies one page by three spellings of its URL.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const example = fileURLToPath(new URL('../examples/quick-start.ts', import.meta.url));

describe('packages/core/README.md example', () => {
  it('is the example file, verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(readFileSync(example, 'utf8'));
  });

  it('runs and verifies the page by three spellings', async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL; // the example is about the embedded database
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', example], { cwd: root, env });
    const verdicts = stdout.split('\n').filter((line) => line.includes(' → '));
    expect(verdicts).toHaveLength(3);
    for (const line of verdicts) expect(line).toMatch(/→ VERIFIED \[ 'KOL_TRUST until \d{4}-\d{2}-\d{2}' \]/);
    expect(stdout).toMatch(/attestation: eyJ/);
  });
});
