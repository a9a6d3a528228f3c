/**
 * The V8 settings the service gives itself at start (services/api/src/lifecycle/heap-tuning.ts):
 * set at run time they take effect (V8 makes no pretenuring decision afterwards; it collects the
 * old generation more often), and a flag the operator put on the command line is left alone.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyServiceV8Flags, SERVICE_V8_FLAGS } from '../../services/api/src/lifecycle/heap-tuning.ts';

const PROBE = fileURLToPath(new URL('./pretenuring-probe.mjs', import.meta.url));
const GROWING_PROBE = fileURLToPath(new URL('./heap-growing-probe.mjs', import.meta.url));
/** Full collections of the growing probe's workload, the given flags set at run time. */
const majors = (...flags: string[]) => (JSON.parse(execFileSync(process.execPath, [GROWING_PROBE, ...flags], { encoding: 'utf8' })) as { majors: number }).majors;
const growingFlag = () => SERVICE_V8_FLAGS.find((flag) => flag.startsWith('--heap-growing-percent='))!;
/** V8's pretenuring trace of the probe (it prints on stdout), the given flags set at run time. */
const trace = (...flags: string[]) => execFileSync(process.execPath, ['--trace-pretenuring-statistics', PROBE, ...flags], { encoding: 'utf8', maxBuffer: 64 << 20 });

describe('the service V8 flags', () => {
  it('turns allocation-site pretenuring off', () => {
    expect(SERVICE_V8_FLAGS).toContain('--no-allocation-site-pretenuring');
  });

  it('stops V8 pretenuring when set at run time, which it does without them', { timeout: 120_000 }, () => {
    const without = trace();
    expect(without).toContain('kept');
    // The control: with Node's defaults V8 pretenures the probe's literals, or is one scavenge
    // short of it ("maybe tenure": on a loaded machine the probe can end before the next one).
    expect(without).toMatch(/=> (maybe )?tenure/);
    // The pretenuring flag alone, as this test ran before the service had other flags.
    const withFlags = trace(...SERVICE_V8_FLAGS.filter((flag) => flag.includes('pretenuring')));
    expect(withFlags).toContain('kept');
    // No decision at all, not even the first step towards one.
    expect(withFlags).not.toMatch(/tenure/);
  });

  it('lets the old generation grow to twice its live size, not up to four times: more full collections when set at run time', { timeout: 120_000 }, () => {
    expect(growingFlag()).toBe('--heap-growing-percent=100');
    const without = majors();
    const withFlag = majors(growingFlag());
    expect(without).toBeGreaterThan(0);
    expect(withFlag).toBeGreaterThan(without);
  });

  it('leaves a flag alone that the command line names, in either spelling or sense', () => {
    const others = (flag: string) => SERVICE_V8_FLAGS.filter((f) => f !== flag);
    for (const given of ['--allocation-site-pretenuring', '--no-allocation-site-pretenuring', '--allocation_site_pretenuring', '--no-allocation_site_pretenuring', '--no_allocation_site_pretenuring', '--allocation-site-pretenuring=false']) {
      expect(applyServiceV8Flags(['--import', given])).toEqual(others('--no-allocation-site-pretenuring'));
    }
    for (const given of ['--heap-growing-percent=0', '--heap_growing_percent=300']) {
      expect(applyServiceV8Flags(['--import', given])).toEqual(others(growingFlag()));
    }
  });

  it('sets its flags when the command line names others', () => {
    expect(applyServiceV8Flags(['--conditions=trust-alliance-dist', '--expose-gc'])).toEqual([...SERVICE_V8_FLAGS]);
  });

  it('keeps V8 own growth when the command line gives a heap limit (the memory-bound host knob)', () => {
    for (const limit of ['--max-old-space-size=512', '--max_old_space_size=512']) {
      expect(applyServiceV8Flags([limit, '--conditions=trust-alliance-dist'])).toEqual(SERVICE_V8_FLAGS.filter((flag) => flag !== growingFlag()));
    }
  });
});
