import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { MEMBERSHIP_BASES, openTestRegistry, type TestRegistry, registryInternals } from '../../src/testing/index.ts';
import { expectRefused, logCount, uniqueFacebookUrl } from '../helpers.ts';

type Status = 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'EXPELLED' | 'WITHDRAWN';
const STATUSES: Status[] = ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPELLED', 'WITHDRAWN'];

/** packages/core/README.md: PENDING → ACTIVE ↔ SUSPENDED, then EXPELLED or WITHDRAWN (terminal). */
const ALLOWED: Record<Status, Status[]> = {
  PENDING: ['ACTIVE', 'EXPELLED', 'WITHDRAWN'],
  ACTIVE: ['SUSPENDED', 'EXPELLED', 'WITHDRAWN'],
  SUSPENDED: ['ACTIVE', 'EXPELLED', 'WITHDRAWN'],
  EXPELLED: [],
  WITHDRAWN: [],
};
/** How to reach each state from PENDING. */
const PATH: Record<Status, Status[]> = {
  PENDING: [],
  ACTIVE: ['ACTIVE'],
  SUSPENDED: ['ACTIVE', 'SUSPENDED'],
  EXPELLED: ['EXPELLED'],
  WITHDRAWN: ['ACTIVE', 'WITHDRAWN'],
};

let t: TestRegistry;
let registry: Registry;

beforeAll(async () => {
  t = await openTestRegistry();
  registry = t.registry;
});
afterAll(async () => {
  await t?.close();
});

async function memberIn(status: Status): Promise<string> {
  const member = await registry.registerMember({ kind: 'PAGE_ADMIN', displayName: `Thành viên ${status}` });
  for (const next of PATH[status]) await registry.changeMemberStatus({ memberId: member.id, status: next, reasonCategory: 'ADMINISTRATIVE' });
  return member.id;
}

describe('registerMember', () => {
  it('registers a PENDING member with a public profile, one status event and one log entry', async () => {
    const before = await logCount(registry);
    const member = await registry.registerMember({
      kind: 'KOL', displayName: '  Nguyễn Văn An  ', province: 'Cần Thơ', categories: ['giáo dục', 'công nghệ'],
      personal: { legalName: 'Nguyễn Văn An', phone: '0912 345 678', email: 'an@example.vn' },
      bases: [...MEMBERSHIP_BASES],
    });
    expect(member).toMatchObject({ kind: 'KOL', status: 'PENDING', displayName: 'Nguyễn Văn An', province: 'Cần Thơ', categories: ['giáo dục', 'công nghệ'] });
    expect(member).not.toHaveProperty('privateData');
    expect(await registry.getMember(member.id)).toMatchObject({ id: member.id, status: 'PENDING' });
    const events = await registryInternals(registry).db.prisma.memberStatusEvent.findMany({ where: { memberId: member.id } });
    expect(events.map((e) => e.status)).toEqual(['PENDING']);
    expect(await logCount(registry)).toBe(before + 1);
    const entry = await registryInternals(registry).db.prisma.logEntry.findFirstOrThrow({ orderBy: { idx: 'desc' } });
    expect(entry.kind).toBe('member.registered');
  });

  it.each([
    [{ kind: 'INFLUENCER', displayName: 'A' }, 'kind'],
    [{ kind: 'KOL', displayName: '   ' }, 'displayName'],
    [{ kind: 'KOL', displayName: 'x'.repeat(201) }, 'displayName'],
    [{ kind: 'KOL', displayName: 42 }, 'displayName'],
    [{ kind: 'KOL', displayName: 'A', province: '' }, 'province'],
    [{ kind: 'KOL', displayName: 'A', categories: Array.from({ length: 21 }, (_, i) => `c${i}`) }, 'categories'],
    [{ kind: 'KOL', displayName: 'A', categories: ['ok', ''] }, 'categories.1'],
    [{ kind: 'KOL', displayName: 'A', personal: { email: 'not-an-email' } }, 'personal.email'],
    [{ kind: 'KOL', displayName: 'A', personal: { idNumber: '12345' } }, 'personal.idNumber'],
    [{ kind: 'KOL', displayName: 'A', personal: { phone: 'call me' } }, 'personal.phone'],
    [{ kind: 'KOL', displayName: 'A', personal: { address: 'x'.repeat(501) } }, 'personal.address'],
  ])('refuses bad input (#%#) with INVALID_INPUT naming the field, creating nothing', async (input, field) => {
    const members = await registryInternals(registry).db.prisma.member.count();
    await expectRefused(registry, () => registry.registerMember(input as never), { code: 'INVALID_INPUT', field });
    expect(await registryInternals(registry).db.prisma.member.count()).toBe(members);
  });
});

describe('updateMember', () => {
  it('updates the public profile (and the folded search text) with one log entry', async () => {
    const member = await registry.registerMember({ kind: 'BUSINESS', displayName: 'Cửa hàng cũ' });
    const before = await logCount(registry);
    const updated = await registry.updateMember({ memberId: member.id, displayName: 'Nguyễn Thị Hồng Nhung', province: null });
    expect(updated).toMatchObject({ displayName: 'Nguyễn Thị Hồng Nhung', province: null });
    expect(await logCount(registry)).toBe(before + 1);
    const { members } = await registry.listMembers({ text: 'hong nhung' });
    expect(members.map((m) => m.id)).toContain(member.id);
  });

  it('refuses an unknown member with NOT_FOUND and bad input with INVALID_INPUT', async () => {
    await expectRefused(registry, () => registry.updateMember({ memberId: crypto.randomUUID(), displayName: 'X' }), { code: 'NOT_FOUND', field: 'memberId' });
    const member = await registry.registerMember({ kind: 'KOL', displayName: 'Giữ nguyên' });
    await expectRefused(registry, () => registry.updateMember({ memberId: member.id, displayName: '' }), { code: 'INVALID_INPUT', field: 'displayName' });
    await expectRefused(registry, () => registry.updateMember({ memberId: member.id, personal: { email: 'nope' } }), { code: 'INVALID_INPUT', field: 'personal.email' });
    expect((await registry.getMember(member.id))?.displayName).toBe('Giữ nguyên');
  });
});

describe('member lifecycle', () => {
  const cases = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to, ALLOWED[from].includes(to)] as const));

  it.each(cases)('%s → %s allowed: %s', async (from, to, allowed) => {
    const memberId = await memberIn(from);
    expect((await registry.getMember(memberId))?.status).toBe(from);
    const events = await registryInternals(registry).db.prisma.memberStatusEvent.count({ where: { memberId } });
    if (allowed) {
      const before = await logCount(registry);
      const member = await registry.changeMemberStatus({ memberId, status: to, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION', reasonPrivate: 'ghi chú nội bộ' });
      expect(member.status).toBe(to);
      expect(await registryInternals(registry).db.prisma.memberStatusEvent.count({ where: { memberId } })).toBe(events + 1);
      expect(await logCount(registry)).toBe(before + 1);
    } else {
      await expectRefused(registry, () => registry.changeMemberStatus({ memberId, status: to, reasonCategory: 'ADMINISTRATIVE' }), {
        code: 'INVALID_TRANSITION',
        data: { entity: 'Member', from, to },
      });
      expect((await registry.getMember(memberId))?.status).toBe(from);
      expect(await registryInternals(registry).db.prisma.memberStatusEvent.count({ where: { memberId } })).toBe(events);
    }
  });

  it('keeps every status change with its time', async () => {
    const memberId = await memberIn('SUSPENDED');
    await registry.changeMemberStatus({ memberId, status: 'ACTIVE', reasonCategory: 'REINSTATED' });
    await registry.changeMemberStatus({ memberId, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' });
    const events = await registryInternals(registry).db.prisma.memberStatusEvent.findMany({ where: { memberId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    expect(events.map((e) => e.status)).toEqual(['PENDING', 'ACTIVE', 'SUSPENDED', 'ACTIVE', 'WITHDRAWN']);
    expect(events.at(-1)?.reasonCategory).toBe('MEMBER_REQUEST');
  });

  it('stores the private reason sealed, and the log entry carries only the public category', async () => {
    const memberId = await memberIn('ACTIVE');
    await registry.changeMemberStatus({ memberId, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: 'Nghi vấn lừa đảo bán hàng' });
    const event = await registryInternals(registry).db.prisma.memberStatusEvent.findFirstOrThrow({ where: { memberId, status: 'SUSPENDED' } });
    expect(event.reasonPrivate).not.toBeNull();
    expect(Buffer.from(event.reasonPrivate!).toString('utf8')).not.toContain('lừa đảo');
    const entry = await registryInternals(registry).db.prisma.logEntry.findFirstOrThrow({ orderBy: { idx: 'desc' } });
    expect(entry.kind).toBe('member.status');
    expect(entry.payload).toContain('UNDER_INVESTIGATION');
    expect(entry.payload).not.toContain('lừa đảo');
  });

  it('refuses an unknown reason category with INVALID_INPUT and an unknown member with NOT_FOUND', async () => {
    const memberId = await memberIn('PENDING');
    await expectRefused(registry, () => registry.changeMemberStatus({ memberId, status: 'ACTIVE', reasonCategory: 'BECAUSE' as never }), { code: 'INVALID_INPUT', field: 'reasonCategory' });
    expect((await registry.getMember(memberId))?.status).toBe('PENDING');
    await expectRefused(registry, () => registry.changeMemberStatus({ memberId: crypto.randomUUID(), status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' }), { code: 'NOT_FOUND', field: 'memberId' });
  });

  it('a member in a terminal state cannot add accounts or sign the pledge', async () => {
    const expelled = await memberIn('EXPELLED');
    await expectRefused(registry, () => registry.addAccount({ memberId: expelled, account: uniqueFacebookUrl('expelled') }), { code: 'INVALID_TRANSITION' });
    expect(await registryInternals(registry).db.prisma.accountAdmin.count({ where: { memberId: expelled } })).toBe(0);
    const withdrawn = await memberIn('WITHDRAWN');
    if (!(await registry.currentPledgeVersion())) {
      await registry.publishPledgeVersion({ titleVi: 'Cam kết', titleEn: 'Pledge', textVi: 'Nội dung', textEn: 'Text' });
    }
    await expectRefused(registry, () => registry.signPledge({ memberId: withdrawn, method: 'ONLINE' }), { code: 'INVALID_TRANSITION' });
    expect(await registryInternals(registry).db.prisma.pledgeSignature.count({ where: { memberId: withdrawn } })).toBe(0);
  });
});

describe('reading members', () => {
  it('getMember of an unknown id is null; readPersonalData of one is NOT_FOUND', async () => {
    expect(await registry.getMember(crypto.randomUUID())).toBeNull();
    await expect(registry.readPersonalData(crypto.randomUUID(), ['email'], { id: 'officer-1', role: 'OFFICER' }, { purpose: 'CONTACT' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists members by status and by diacritic-free text', async () => {
    const member = await registry.registerMember({ kind: 'AGENCY', displayName: 'Công ty Truyền thông Đồng Tháp' });
    const { members } = await registry.listMembers({ text: 'dong thap', status: 'PENDING' });
    expect(members.map((m) => m.id)).toEqual([member.id]);
    expect((await registry.listMembers({ text: 'dong thap', status: 'ACTIVE' })).members).toEqual([]);
  });
});
