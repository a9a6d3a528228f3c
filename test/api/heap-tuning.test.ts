/**
 * The V8 settings the service gives itself at start (services/api/src/lifecycle/heap-tuning.ts):
 * set at run time they take effect (V8 makes no pretenuring decision afterwards), and a flag the
 * operator put on the command line is left alone.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyServiceV8Flags, SERVICE_V8_FLAGS } from '../../services/api/src/lifecycle/heap-tuning.ts';

const PROBE = fileURLToPath(new URL('./pretenuring-probe.mjs', import.meta.url));
/** V8's pretenuring trace of the probe (it prints on stdout), the given flags set at run time. */
const trace = (...flags: string[]) => execFileSync(process.execPath, ['--trace-pretenuring-statistics', PROBE, ...flags], { encoding: 'utf8', maxBuffer: 64 << 20 });

describe('the service V8 flags', () => {
  it('turns allocation-site pretenuring off', () => {
    expect(SERVICE_V8_FLAGS).toContain('--no-allocation-site-pretenuring');
  });

  it('stops V8 pretenuring when set at run time, which it does without them', { timeout: 120_000 }, () => {
    const without = trace();
    expect(without).toContain('kept');
    // The control: the probe's literals do get pretenured with Node's defaults.
    expect(without).toMatch(/=> tenure/);
    const withFlags = trace(...SERVICE_V8_FLAGS);
    expect(withFlags).toContain('kept');
    expect(withFlags).not.toMatch(/=> tenure/);
  });

  it('leaves a flag alone that the command line names, in either spelling or sense', () => {
    for (const given of ['--allocation-site-pretenuring', '--no-allocation-site-pretenuring', '--allocation_site_pretenuring', '--no-allocation_site_pretenuring', '--no_allocation_site_pretenuring', '--allocation-site-pretenuring=false']) {
      expect(applyServiceV8Flags(['--import', given])).toEqual([]);
    }
  });

  it('sets its flags when the command line names others', () => {
    expect(applyServiceV8Flags(['--max-old-space-size=512', '--conditions=trust-alliance-dist'])).toEqual([...SERVICE_V8_FLAGS]);
  });
});
