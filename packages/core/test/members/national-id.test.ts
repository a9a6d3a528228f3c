/**
 * One member per national ID number (members/national-id.ts): a second member with the same
 * number, however written, is a ConflictError naming `personal.idNumber`, on register and on
 * update; the comparison goes through a keyed blind index, never the number in clear.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { generateDataKey, loadDataKeys } from '../../src/privacy/data-key.ts';
import { Pseudonyms } from '../../src/privacy/pseudonyms.ts';
import { idNumberIndex } from '../../src/members/national-id.ts';
import { expectRefused, useFileRegistry } from '../helpers.ts';
import { MEMBERSHIP_BASES, registryInternals } from '../../src/testing/index.ts';

let registry: Registry;
useFileRegistry((t) => ({ registry } = t), { pledge: false });

let serial = 0;
/** A 12-digit CCCD number no other test uses. */
function newIdNumber(): string {
  serial += 1;
  return `0792${String(Date.now() % 1e6).padStart(6, '0')}${String(serial).padStart(2, '0')}`;
}

const register = (idNumber?: string) => registry.registerMember({ kind: 'KOL', displayName: 'Người Có Số CCCD', ...(idNumber ? { personal: { idNumber }, bases: [...MEMBERSHIP_BASES] } : {}) });
const indexOf = async (memberId: string) => (await registryInternals(registry).db.prisma.member.findUniqueOrThrow({ where: { id: memberId }, select: { idNumberIndex: true } })).idNumberIndex;

describe('national ID number', () => {
  it('refuses a second member with the same number, written any way, naming the field', async () => {
    const number = newIdNumber();
    await register(number);
    const spaced = `${number.slice(0, 3)} ${number.slice(3, 6)}.${number.slice(6, 9)}-${number.slice(9)}`;
    for (const again of [number, spaced, ` ${number} `]) {
      await expectRefused(registry, () => register(again), { code: 'CONFLICT', field: 'personal.idNumber' });
    }
  });

  it('lets exactly one of two concurrent registrations with one number through', async () => {
    const number = newIdNumber();
    const outcomes = await Promise.allSettled([register(number), register(number), register(number)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(o.reason).toMatchObject({ code: 'CONFLICT', field: 'personal.idNumber' });
    }
  });

  it('accepts different numbers, and members without one', async () => {
    const a = await register(newIdNumber());
    const b = await register(newIdNumber());
    await register();
    await register();
    expect(await indexOf(a.id)).not.toBe(await indexOf(b.id));
  });

  it('refuses an update to a number another member holds, and keeps the member as it was', async () => {
    const taken = newIdNumber();
    await register(taken);
    const other = await register(newIdNumber());
    const before = await indexOf(other.id);
    await expectRefused(registry, () => registry.updateMember({ memberId: other.id, personal: { idNumber: taken } }), { code: 'CONFLICT', field: 'personal.idNumber' });
    expect(await indexOf(other.id)).toBe(before);
    // Its own number again, or another personal field, is fine.
    const own = await registry.readPersonalData(other.id, ['idNumber'], { id: 'officer', role: 'OFFICER' }, { purpose: 'IDENTITY_CHECK' });
    await registry.updateMember({ memberId: other.id, personal: { idNumber: own.idNumber!, email: 'moi@example.vn' }, bases: [...MEMBERSHIP_BASES] });
    expect(await indexOf(other.id)).toBe(before);
    // A new number moves the index, and frees the old one.
    const fresh = newIdNumber();
    await registry.updateMember({ memberId: other.id, personal: { idNumber: fresh } });
    expect(await indexOf(other.id)).not.toBe(before);
    await register(own.idNumber!);
  });

  it('stores a keyed index, not the number, that differs under another data key', async () => {
    const number = newIdNumber();
    const member = await register(number);
    const index = await indexOf(member.id);
    expect(index).toMatch(/^[0-9a-f]{32}$/);
    expect(index).toBe(registryInternals(registry).context.pseudonyms.derive('trust-alliance national-id blind index v1').of('national-id', number));
    const row = JSON.stringify(await registryInternals(registry).db.prisma.member.findUniqueOrThrow({ where: { id: member.id }, omit: { privateData: true } }));
    expect(row).not.toContain(number);
    // Not the registry's ordinary pseudonym of the number either: a key of its own.
    expect(index).not.toBe(registry.pseudonym('national-id', number));
    const other = new Pseudonyms((await loadDataKeys({ dataKey: generateDataKey() })).pseudonyms);
    expect(idNumberIndex(other, number)).not.toBe(index);
    expect(idNumberIndex(other, number)).toBe(idNumberIndex(other, ` ${number.slice(0, 6)} ${number.slice(6)}`));
  });

  it('gives members registered before the index theirs on their next update, or by backfill', async () => {
    const number = newIdNumber();
    const old = await register(number);
    const older = await register(newIdNumber());
    // As the migration leaves them: no index.
    await registryInternals(registry).db.prisma.member.updateMany({ where: { id: { in: [old.id, older.id] } }, data: { idNumberIndex: null } });
    await registry.updateMember({ memberId: old.id, personal: { email: 'cap.nhat@example.vn' }, bases: [...MEMBERSHIP_BASES] });
    expect(await indexOf(old.id)).not.toBeNull();
    await expectRefused(registry, () => register(number), { code: 'CONFLICT', field: 'personal.idNumber' });

    // Two members registered with one number before the rule: the first keeps it, the second is listed.
    const shared = newIdNumber();
    const first = await register(shared);
    await registryInternals(registry).db.prisma.member.update({ where: { id: first.id }, data: { idNumberIndex: null } });
    const second = await register(shared);
    await registryInternals(registry).db.prisma.member.update({ where: { id: second.id }, data: { idNumberIndex: null } });

    const report = await registry.backfillIdNumberIndex();
    expect(await indexOf(older.id)).not.toBeNull();
    expect(await indexOf(first.id)).not.toBeNull();
    expect(await indexOf(second.id)).toBeNull();
    expect(report.duplicates).toEqual([second.id]);
    expect(report.indexed).toBe(2);
    expect(await registry.backfillIdNumberIndex()).toEqual({ indexed: 0, duplicates: [second.id] });
  });
});
