/**
 * Restriction (issue 17): a restricted member's personal data is read only by an ADMIN stating a
 * legal basis; every other path refuses with PROCESSING_RESTRICTED.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { MEMBERSHIP_BASES, registryInternals } from '../../src/testing/index.ts';
import { expectRefused, useFileRegistry } from '../helpers.ts';

let registry: Registry;
useFileRegistry((t) => ({ registry } = t));

const OFFICER = { id: 'officer-r', role: 'OFFICER' } as const;
const ADMIN = { id: 'admin-r', role: 'ADMIN' } as const;

describe('a restricted member', () => {
  it('is read only by an ADMIN stating a legal basis; the read records it', async () => {
    const m = await registry.registerMember({ kind: 'KOL', displayName: 'Hạn Chế', personal: { phone: '0944555666', email: 'han.che@example.vn' }, bases: [...MEMBERSHIP_BASES] }, OFFICER);
    const self = { id: m.id, role: 'MEMBER' } as const;
    await expectRefused(registry, () => registry.restrictProcessing({ memberId: m.id, restricted: true }, self), { code: 'FORBIDDEN' });
    await registry.restrictProcessing({ memberId: m.id, restricted: true }, OFFICER);
    await expect(registry.readPersonalData(m.id, ['phone'], OFFICER, { purpose: 'CONTACT' })).rejects.toMatchObject({ code: 'PROCESSING_RESTRICTED' });
    await expect(registry.readPersonalData(m.id, ['phone'], OFFICER, { purpose: 'CONTACT', legalBasis: 'LEGAL_OBLIGATION' })).rejects.toMatchObject({ code: 'PROCESSING_RESTRICTED' });
    await expect(registry.readPersonalData(m.id, ['phone'], ADMIN, { purpose: 'CONTACT' })).rejects.toMatchObject({ code: 'PROCESSING_RESTRICTED' });
    await expectRefused(registry, () => registry.updateMember({ memberId: m.id, personal: { phone: '0900000000' } }, OFFICER), { code: 'PROCESSING_RESTRICTED' });
    const prisma = registryInternals(registry).db.prisma;
    expect(await prisma.personalDataAccess.count({ where: { memberId: m.id } })).toBe(0);
    expect(await registry.readPersonalData(m.id, ['phone'], ADMIN, { purpose: 'CONTACT', legalBasis: 'LEGAL_OBLIGATION', reason: 'Yêu cầu của cơ quan điều tra số 12/CV' })).toEqual({ phone: '0944555666' });
    expect(await prisma.personalDataAccess.findFirst({ where: { memberId: m.id } })).toMatchObject({ actorId: ADMIN.id, role: 'ADMIN', purpose: 'CONTACT', legalBasis: 'LEGAL_OBLIGATION' });
    // Lifting takes an ADMIN.
    await expectRefused(registry, () => registry.restrictProcessing({ memberId: m.id, restricted: false }, OFFICER), { code: 'FORBIDDEN' });
    await registry.restrictProcessing({ memberId: m.id, restricted: false }, ADMIN);
    expect(await registry.readPersonalData(m.id, ['phone'], OFFICER, { purpose: 'CONTACT' })).toEqual({ phone: '0944555666' });
  });
});
