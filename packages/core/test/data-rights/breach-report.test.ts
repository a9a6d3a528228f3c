/**
 * Breach support (issue 17): whose personal data one actor read in a period, which fields, and a
 * drafted notice in Vietnamese and English; no personal data in the report.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { MEMBERSHIP_BASES, type TestClock } from '../../src/testing/index.ts';
import { DAY_MS, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const LEAKED = { id: 'officer-leaked', role: 'OFFICER' } as const;
const OTHER = { id: 'officer-other', role: 'OFFICER' } as const;

describe('the breach report', () => {
  it('lists whose data the actor read in the period, which fields, and drafts the notice', async () => {
    const reg = (n: number) => registry.registerMember({ kind: 'KOL', displayName: `Người ${n}`, personal: { legalName: `Nguyễn Văn Rò Rỉ ${n}`, phone: `090000100${n}`, idNumber: `07918800000${n}` }, bases: [...MEMBERSHIP_BASES] }, OTHER);
    const [a, b, c] = [await reg(1), await reg(2), await reg(3)];
    await registry.readPersonalData(a.id, ['phone'], LEAKED, { purpose: 'CONTACT' }); // before the period
    clock.advance(DAY_MS);
    const since = registry.now();
    await registry.readPersonalData(a.id, ['legalName', 'phone'], LEAKED, { purpose: 'CONTACT' });
    await registry.readPersonalData(a.id, ['idNumber'], LEAKED, { purpose: 'CERTIFICATION' });
    await registry.readPersonalData(b.id, ['phone'], LEAKED, { purpose: 'CONTACT' });
    await registry.readPersonalData(c.id, ['phone'], OTHER, { purpose: 'CONTACT' });
    const report = await registry.breachReport({ actorId: LEAKED.id, since });
    expect(report.totalReads).toBe(3);
    expect(report.members.map((m) => [m.memberId, m.fields, m.reads, m.purposes])).toEqual([
      [a.id, ['idNumber', 'legalName', 'phone'], 2, ['CONTACT', 'CERTIFICATION']],
      [b.id, ['phone'], 1, ['CONTACT']],
    ]);
    expect(report.noticeVi).toContain('THÔNG BÁO VỀ VI PHẠM DỮ LIỆU CÁ NHÂN');
    expect(report.noticeVi).toContain('2 thành viên');
    expect(report.noticeEn).toContain('2 members');
    const text = JSON.stringify(report);
    for (const secret of ['Rò Rỉ', '0900001001', '079188000001']) expect(text).not.toContain(secret);
    await expect(registry.breachReport({ actorId: LEAKED.id, since, until: new Date(since.getTime() - 1) })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'until' });
  });
});
