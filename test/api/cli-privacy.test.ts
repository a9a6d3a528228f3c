/**
 * `pnpm cli privacy` (issue 17) on the direct path (no running service, a folder of its own):
 * the breach report of one actor and the retention job, as JSON; usage errors exit 2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_BASES, openRegistry } from '@trust-alliance/core';
import { cli, embeddedCliFolder } from './cli-direct-path.ts';

const folder = embeddedCliFolder('trust-cli-privacy-');
let memberId: string;
let since: string;

beforeAll(async () => {
  const registry = await openRegistry({ dataDir: folder.dataDir });
  try {
    const member = await registry.registerMember({ kind: 'KOL', displayName: 'CLI Rò Rỉ', personal: { phone: '0966 000 111', legalName: 'Phan Văn Dòng Lệnh' }, bases: [...MEMBERSHIP_BASES] });
    memberId = member.id;
    since = new Date(registry.now().getTime() - 1000).toISOString();
    await registry.readPersonalData(member.id, ['phone', 'legalName'], { id: 'officer-leaked', role: 'OFFICER' }, { purpose: 'CONTACT' });
  } finally {
    await registry.close();
  }
});

describe('pnpm cli privacy', { timeout: 300_000 }, () => {
  it('breach-report lists whose data the actor read, which fields, with the drafted notices', async () => {
    const res = await cli('privacy', 'breach-report', '--actor', 'officer-leaked', '--since', since);
    expect(res.code, res.err).toBe(0);
    const report = JSON.parse(res.out);
    expect(report).toMatchObject({ actorId: 'officer-leaked', totalReads: 1, members: [{ memberId, fields: ['legalName', 'phone'], reads: 1, purposes: ['CONTACT'] }] });
    expect(report.noticeVi).toContain('THÔNG BÁO VỀ VI PHẠM DỮ LIỆU CÁ NHÂN');
    expect(res.out).not.toContain('0966 000 111');
    const none = JSON.parse((await cli('privacy', 'breach-report', '--actor', 'someone-else', '--since', since)).out);
    expect(none.members).toEqual([]);
  });

  it('retention prints what it erased and kept', async () => {
    const res = await cli('privacy', 'retention', '--dry-run');
    expect(res.code, res.err).toBe(0);
    expect(JSON.parse(res.out)).toMatchObject({ dryRun: true, erased: [], kept: [] });
    const real = await cli('privacy', 'retention');
    expect(real.code, real.err).toBe(0);
    expect(JSON.parse(real.out)).toMatchObject({ dryRun: false, erased: [] });
  });

  it('refuses bad usage with exit code 2', async () => {
    expect((await cli('privacy')).code).toBe(2);
    expect((await cli('privacy', 'breach-report', '--since', since)).code).toBe(2);
    expect((await cli('privacy', 'breach-report', '--actor', 'x', '--since', 'yesterday')).code).toBe(2);
    expect((await cli('privacy', 'retention', '--actor', 'x')).code).toBe(2);
    expect((await cli('privacy', 'shred')).code).toBe(2);
  });
});
