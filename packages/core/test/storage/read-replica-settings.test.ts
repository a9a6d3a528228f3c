/**
 * DATABASE_READ_URL and DATABASE_READ_MAX_LAG_MS (issue 16): read by registryOptionsFromEnv, the
 * wrong settings refused with the variable named and no URL echoed (it may hold a password).
 */
import { describe, expect, it } from 'vitest';
import { registryOptionsFromEnv, readReplicasFromEnv } from '../../src/index.ts';
import { lsnValue } from '../../src/storage/read-replicas.ts';

const primary = 'postgresql://app:secret@db-primary:5432/trust';

describe('read replica settings', () => {
  it('reads one or more comma-separated replicas and the lag bound', () => {
    expect(registryOptionsFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgresql://r@replica-1/trust' }).readReplicas).toEqual({ urls: ['postgresql://r@replica-1/trust'] });
    expect(readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: ' postgres://r@replica-1/trust , postgresql://r@replica-2:6432/trust ', DATABASE_READ_MAX_LAG_MS: '2500' })).toEqual({
      urls: ['postgres://r@replica-1/trust', 'postgresql://r@replica-2:6432/trust'],
      maxLagMs: 2500,
    });
    expect(readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: '' })).toBeUndefined();
    expect(registryOptionsFromEnv({ DATABASE_URL: primary })).not.toHaveProperty('readReplicas');
  });

  it('refuses replicas without a primary, bad URLs, duplicates, the primary itself and bounds out of range', () => {
    expect(() => readReplicasFromEnv({ DATABASE_READ_URL: 'postgresql://r@replica-1/trust' })).toThrow(/needs DATABASE_URL/);
    expect(() => readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgresql://r@replica-1/trust,mysql://x:hunter2@y/z' })).toThrow(/entry 2 of 2 is not a postgresql/);
    expect(() => readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgresql://r@replica-1/trust,mysql://x:hunter2@y/z' })).not.toThrow(/hunter2/);
    expect(() => readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgresql://r@a/t,,postgresql://r@b/t' })).toThrow(/entry 2 of 3/);
    expect(() => readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgresql://r@a/t,postgresql://r@a/t' })).toThrow(/same replica twice/);
    expect(() => readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: primary })).toThrow(/DATABASE_URL itself/);
    for (const lag of ['10', '600001', '1.5', 'soon', '-1']) {
      expect(() => readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgresql://r@a/t', DATABASE_READ_MAX_LAG_MS: lag })).toThrow(/DATABASE_READ_MAX_LAG_MS: must be whole milliseconds from 50 to 600000/);
    }
    expect(() => readReplicasFromEnv({ DATABASE_URL: primary, DATABASE_READ_MAX_LAG_MS: '500' })).toThrow(/needs DATABASE_READ_URL/);
  });

  it('compares WAL positions as numbers, not as text', () => {
    expect(lsnValue('0/A') > lsnValue('0/9')).toBe(true);
    expect(lsnValue('1/0') > lsnValue('0/FFFFFFFF')).toBe(true);
    expect(lsnValue('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
  });
});
