/**
 * Legal basis per member and purpose (issue 17, Law 91/2025/QH15 Art. 9): no personal field is
 * stored without a basis covering it; a read names a purpose some basis covers; withdrawing a
 * consent stops that processing at once and says what continues, on which basis.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { currentPrivacyNotice, PRIVACY_NOTICES, WITHHELD_DISPLAY_NAME } from '../../src/index.ts';
import { createVerifiedMember, MEMBERSHIP_BASES, registryInternals } from '../../src/testing/index.ts';
import { noticeHash } from '../../src/members/privacy-notices.ts';
import { expectRefused, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
useFileRegistry((t) => ({ registry } = t));

const OFFICER = { id: 'officer-basis', role: 'OFFICER' } as const;
const PERSON = { legalName: 'Lý Thị Căn Cứ', phone: '0933 222 111', email: 'can.cu@example.vn', idNumber: '079188777666', address: '1 Đường Pháp Lý' };
const notice = currentPrivacyNotice().version;

describe('storing personal data needs a legal basis', () => {
  it('refuses a registration whose personal fields no basis covers, and writes nothing', async () => {
    const count = () => registryInternals(registry).db.prisma.member.count();
    const before = await count();
    await expectRefused(registry, () => registry.registerMember({ kind: 'KOL', displayName: 'Không Căn Cứ', personal: { phone: PERSON.phone } }, OFFICER), { code: 'NO_LEGAL_BASIS', field: 'personal.phone' });
    // CERTIFICATION does not cover the phone: CONTACT does.
    await expectRefused(
      registry,
      () => registry.registerMember({ kind: 'KOL', displayName: 'Sai Mục Đích', personal: { phone: PERSON.phone }, bases: [{ purpose: 'CERTIFICATION', basis: 'CONTRACT' }] }, OFFICER),
      { code: 'NO_LEGAL_BASIS', field: 'personal.phone' },
    );
    expect(await count()).toBe(before);
    const ok = await registry.registerMember({ kind: 'KOL', displayName: 'Có Căn Cứ', personal: { phone: PERSON.phone }, bases: [{ purpose: 'CONTACT', basis: 'CONSENT', noticeVersion: notice, method: 'IN_PERSON' }] }, OFFICER);
    expect(await registry.readPersonalData(ok.id, ['phone'], OFFICER, { purpose: 'CONTACT' })).toEqual({ phone: PERSON.phone });
  });

  it('a consent names the notice shown and how it was given', async () => {
    await expectRefused(registry, () => registry.registerMember({ kind: 'KOL', displayName: 'A', personal: { email: PERSON.email }, bases: [{ purpose: 'CONTACT', basis: 'CONSENT' }] }, OFFICER), { code: 'INVALID_INPUT', field: 'bases.0.noticeVersion' });
    await expectRefused(registry, () => registry.registerMember({ kind: 'KOL', displayName: 'A', personal: { email: PERSON.email }, bases: [{ purpose: 'CONTACT', basis: 'CONSENT', noticeVersion: 99, method: 'ONLINE' }] }, OFFICER), { code: 'INVALID_INPUT', field: 'bases.0.noticeVersion' });
    await expectRefused(registry, () => registry.registerMember({ kind: 'KOL', displayName: 'A', personal: { email: PERSON.email }, bases: [{ purpose: 'CONTACT', basis: 'CONSENT', noticeVersion: notice }] }, OFFICER), { code: 'INVALID_INPUT', field: 'bases.0.method' });
    await expectRefused(registry, () => registry.registerMember({ kind: 'KOL', displayName: 'A', bases: [{ purpose: 'MARKETING' as never, basis: 'CONSENT' }] }, OFFICER), { code: 'INVALID_INPUT', field: 'bases.0.purpose' });
  });

  it('notices are versioned in Vietnamese and English; a published text never changes', () => {
    expect(PRIVACY_NOTICES.map((n) => n.version)).toEqual([1]);
    for (const n of PRIVACY_NOTICES) expect(n.textVi.length > 100 && n.textEn.length > 100).toBe(true);
    // Edit a text and this fails: publish a new version instead (consents point at the old one).
    expect(noticeHash(PRIVACY_NOTICES[0]!)).toBe('6911ac9d42b4ea44764b1082c0e5d1750e8bf034943e036234e89e087c61af1c');
  });
});

describe('reads name a purpose', () => {
  it('is refused for a purpose no basis covers, or a field the purpose does not use; recorded otherwise', async () => {
    const m = await registry.registerMember({ kind: 'KOL', displayName: 'Đọc Có Lý Do', personal: { phone: PERSON.phone, idNumber: '079188777665' }, bases: [{ purpose: 'CONTACT', basis: 'CONTRACT' }, { purpose: 'IDENTITY_CHECK', basis: 'LEGAL_OBLIGATION' }] }, OFFICER);
    await expect(registry.readPersonalData(m.id, ['idNumber'], OFFICER, { purpose: 'CERTIFICATION' })).rejects.toMatchObject({ code: 'NO_LEGAL_BASIS', field: 'purpose' });
    await expect(registry.readPersonalData(m.id, ['idNumber'], OFFICER, { purpose: 'CONTACT' })).rejects.toMatchObject({ code: 'NO_LEGAL_BASIS', field: 'fields' });
    await expect(registry.readPersonalData(m.id, ['phone'], OFFICER, { purpose: 'NOSY' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'purpose' });
    const prisma = registryInternals(registry).db.prisma;
    expect(await prisma.personalDataAccess.count({ where: { memberId: m.id } })).toBe(0);
    await registry.readPersonalData(m.id, ['phone'], OFFICER, { purpose: 'CONTACT', reason: 'Hẹn lịch thẩm định / scheduling the assessment' });
    const [read] = await prisma.personalDataAccess.findMany({ where: { memberId: m.id } });
    expect(read).toMatchObject({ actorId: OFFICER.id, fields: ['phone'], purpose: 'CONTACT', legalBasis: null });
    // The reason is sealed, under the member's own key.
    expect(Buffer.from(read!.reason!).toString('utf8')).not.toContain('Hẹn lịch');
  });
});

describe('withdrawing consent', () => {
  it('stops that processing from that moment and says what continues on which basis', async () => {
    const url = uniqueFacebookUrl('consent');
    const { member } = await createVerifiedMember(registry, { accounts: [url], displayName: 'Kênh Rút Đồng Ý' });
    await registry.updateMember({ memberId: member.id, personal: PERSON, bases: [...MEMBERSHIP_BASES] }, OFFICER);
    const self = { id: member.id, role: 'MEMBER' } as const;
    const answer = await registry.withdrawConsent({ memberId: member.id, purpose: 'CONTACT' }, self);
    // legalName continues under CERTIFICATION (the membership contract); the contact fields stop.
    expect(answer.stopped).toEqual({ fields: ['phone', 'email', 'address'], publicProfileWithheld: false });
    expect(answer.continues.map((c) => `${c.purpose}:${c.basis}`).sort()).toEqual(['CERTIFICATION:CONTRACT', 'IDENTITY_CHECK:CONTRACT', 'PUBLIC_PROFILE:CONSENT']);
    await expect(registry.readPersonalData(member.id, ['phone'], OFFICER, { purpose: 'CONTACT' })).rejects.toMatchObject({ code: 'NO_LEGAL_BASIS' });
    // Deleted, not merely hidden: even under CERTIFICATION only what it covers is left.
    const left = await registry.readPersonalData(member.id, ['legalName', 'idNumber'], OFFICER, { purpose: 'CERTIFICATION' });
    expect(left).toEqual({ legalName: PERSON.legalName, idNumber: PERSON.idNumber });
    const { context } = registryInternals(registry);
    const { openPersonalData } = await import('../../src/members/personal-data.ts');
    expect(openPersonalData(context.memberKeys, await context.prisma.member.findUniqueOrThrow({ where: { id: member.id } }))).toEqual({ legalName: PERSON.legalName, idNumber: PERSON.idNumber });
    // Storing a contact field again needs a basis again.
    await expectRefused(registry, () => registry.updateMember({ memberId: member.id, personal: { phone: PERSON.phone } }, OFFICER), { code: 'NO_LEGAL_BASIS', field: 'personal.phone' });
    // Nothing left to withdraw.
    await expectRefused(registry, () => registry.withdrawConsent({ memberId: member.id, purpose: 'CONTACT' }, self), { code: 'NO_LEGAL_BASIS' });
    // Another member cannot withdraw for them.
    await expectRefused(registry, () => registry.withdrawConsent({ memberId: member.id, purpose: 'PUBLIC_PROFILE' }, { id: 'someone-else', role: 'MEMBER' }), { code: 'FORBIDDEN' });

    // The public profile: withheld everywhere once no basis covers it.
    const profile = await registry.withdrawConsent({ memberId: member.id, purpose: 'PUBLIC_PROFILE' }, self);
    expect(profile.stopped.publicProfileWithheld).toBe(true);
    expect((await registry.verify({ url })).member?.displayName).toBe(WITHHELD_DISPLAY_NAME);
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
  });
});
