import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAL_FIELDS, type Registry } from '../../src/index.ts';
import { MEMBERSHIP_BASES, createVerifiedMember, ensurePledge, openTestRegistry, type TestRegistry, registryInternals } from '../../src/testing/index.ts';
import { uniqueFacebookUrl } from '../helpers.ts';

let t: TestRegistry;
let registry: Registry;

/** Distinctive values, so a search for them cannot hit by accident. */
const PERSONAL = {
  legalName: 'Hoàng Thị Bí Mật',
  idNumber: '079912345678',
  phone: '0987 654 321',
  email: 'bi.mat.rieng.tu@example.vn',
  address: '12 Ngõ Kín, Phường Ẩn, Quận Riêng',
};
const SECRETS = [PERSONAL.legalName, PERSONAL.idNumber, PERSONAL.phone, PERSONAL.email, PERSONAL.address, '0987654321', 'bi.mat.rieng.tu'];
const OFFICER = { id: 'officer-42', role: 'OFFICER' } as const;

let memberId: string;
let url: string;

beforeAll(async () => {
  t = await openTestRegistry();
  registry = t.registry;
  await ensurePledge(registry);
  url = uniqueFacebookUrl('private.person');
  // Same display name as nothing personal; personal data added at registration and on update.
  const { member } = await createVerifiedMember(registry, { accounts: [url], displayName: 'Kênh Công Khai' });
  memberId = member.id;
  await registry.updateMember({ memberId, personal: { legalName: PERSONAL.legalName, phone: PERSONAL.phone, email: PERSONAL.email }, bases: [...MEMBERSHIP_BASES] });
  await registry.updateMember({ memberId, personal: { idNumber: PERSONAL.idNumber, address: PERSONAL.address } });
  await registry.registerMember({ kind: 'BUSINESS', displayName: 'Doanh nghiệp khác', personal: { email: 'khac.rieng.tu@example.vn', legalName: 'Tên Pháp Lý Khác' }, bases: [...MEMBERSHIP_BASES] });
  const report = await registry.reportAccount({ account: uniqueFacebookUrl('reported'), category: 'SCAM', description: 'Lừa đảo', reporterContact: 'nguoi.bao.tin@example.vn' });
  await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Xác nhận', flagAccount: true });
  const { badge } = await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('other')] });
  await registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: 'Lý do nội bộ tuyệt mật' });
});
afterAll(async () => {
  await t?.close();
});

function expectNoSecrets(text: string): void {
  for (const secret of [...SECRETS, 'khac.rieng.tu', 'Tên Pháp Lý Khác', 'nguoi.bao.tin', 'tuyệt mật']) expect(text).not.toContain(secret);
}

describe('personal data', () => {
  it('never appears in a verify answer', async () => {
    const answer = await registry.verify({ url });
    expect(answer.status).toBe('VERIFIED');
    expect(answer.member?.displayName).toBe('Kênh Công Khai');
    expect(Object.keys(answer.member!).sort()).toEqual(['displayName', 'id', 'kind', 'province']);
    expectNoSecrets(JSON.stringify(answer));
    expectNoSecrets(JSON.stringify(await registry.verifyMany([{ url }, { url: 'bad input' }])));
  });

  it('never appears in the public profile or member listings', async () => {
    const member = await registry.getMember(memberId);
    expect(member).not.toHaveProperty('privateData');
    expectNoSecrets(JSON.stringify(member));
    expectNoSecrets(JSON.stringify(await registry.listMembers({}, { first: 100 })));
  });

  it('never appears in a transparency-log payload', async () => {
    const entries = await registryInternals(registry).db.prisma.logEntry.findMany({ orderBy: { idx: 'asc' } });
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.some((e) => e.kind === 'member.updated' && e.payload.includes(memberId))).toBe(true);
    for (const entry of entries) expectNoSecrets(entry.payload);
  });

  it('is stored encrypted: the raw bytes do not hold the plaintext', async () => {
    const rows = await registryInternals(registry).db.sql.query<{ privateData: Uint8Array }>('SELECT "privateData" FROM "Member" WHERE id = $1', [memberId]);
    const raw = Buffer.from(rows[0]!.privateData);
    expect(raw.length).toBeGreaterThan(PERSONAL.email.length);
    for (const secret of SECRETS) {
      expect(raw.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
    expect(raw.toString('latin1')).not.toContain('@example.vn');
    // Nor anywhere else in the member's row, as text.
    const text = await registryInternals(registry).db.sql.query<{ row: string }>('SELECT row_to_json(m)::text AS row FROM "Member" m WHERE id = $1', [memberId]);
    expectNoSecrets(text[0]!.row);
  });

  it('readPersonalData returns the fields asked for and records the access', async () => {
    const before = await registryInternals(registry).db.prisma.personalDataAccess.count({ where: { memberId } });
    const data = await registry.readPersonalData(memberId, ['email', 'phone', 'legalName'], OFFICER, { purpose: 'CONTACT' });
    expect(data).toEqual({ email: PERSONAL.email, phone: PERSONAL.phone, legalName: PERSONAL.legalName });
    const all = {
      ...(await registry.readPersonalData(memberId, ['legalName', 'phone', 'email', 'address'], OFFICER, { purpose: 'CONTACT' })),
      ...(await registry.readPersonalData(memberId, ['idNumber'], OFFICER, { purpose: 'CERTIFICATION' })),
    };
    expect(all).toEqual(PERSONAL);
    const accesses = await registryInternals(registry).db.prisma.personalDataAccess.findMany({ where: { memberId }, orderBy: { at: 'asc' } });
    expect(accesses).toHaveLength(before + 3);
    expect(accesses.at(-3)).toMatchObject({ actorId: 'officer-42', role: 'OFFICER', fields: ['email', 'phone', 'legalName'], purpose: 'CONTACT' });
    expect(accesses.at(-1)).toMatchObject({ fields: ['idNumber'], purpose: 'CERTIFICATION' });
    expect(new Set(accesses.slice(-2).flatMap((a) => a.fields))).toEqual(new Set(PERSONAL_FIELDS));
  });

  it('an update merges personal fields and can clear one', async () => {
    const other = await registry.registerMember({ kind: 'KOL', displayName: 'Cập nhật', personal: { email: 'cu@example.vn', phone: '0912345678' }, bases: [...MEMBERSHIP_BASES] });
    await registry.updateMember({ memberId: other.id, personal: { email: 'moi@example.vn' } });
    expect(await registry.readPersonalData(other.id, ['email', 'phone', 'address'], OFFICER, { purpose: 'CONTACT' })).toEqual({ email: 'moi@example.vn', phone: '0912345678', address: null });
  });

  it('a registry opened with another data key cannot read it', async () => {
    const sealed = (await registryInternals(registry).db.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).privateData!;
    const { SealedBox } = await import('../../src/privacy/sealed-box.ts');
    const { generateDataKey } = await import('../../src/index.ts');
    const { loadDataKeys } = await import('../../src/privacy/data-key.ts');
    const keys = await loadDataKeys({ dataKey: generateDataKey(), dataDir: undefined });
    expect(() => new SealedBox(keys.personalData).open(sealed, `member:${memberId}:personal`)).toThrow();
    const { MemberKeys } = await import('../../src/privacy/member-keys.ts');
    const row = await registryInternals(registry).db.prisma.member.findUniqueOrThrow({ where: { id: memberId } });
    expect(row.dataKey).not.toBeNull();
    expect(() => new MemberKeys(keys.memberKeyWrapping, new SealedBox(keys.personalData)).box(memberId, row.dataKey!)).toThrow();
  });
});
