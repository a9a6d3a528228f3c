/**
 * A registry written before per-member keys and legal bases (issue 17) keeps working, nothing
 * lost: migration 20261220000000 records the membership agreement (CONTRACT) as the basis of the
 * data members already gave, and opening the registry moves each member's data to a key of its own.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, generateDataKey, openDatabase, openRegistry } from '../../src/index.ts';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/storage/migrator.ts';
import { loadDataKeys } from '../../src/privacy/data-key.ts';
import { SealedBox } from '../../src/privacy/sealed-box.ts';
import { createTestDatabase, registryInternals } from '../../src/testing/index.ts';

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const done of cleanup.reverse()) await done();
});

describe('upgrading a registry written before per-member keys', () => {
  it('keeps every member readable, under a basis and a key of its own', async () => {
    const root = await mkdtemp(join(tmpdir(), 'privacy-upgrade-'));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    // The migrations as they were before this change.
    const before = join(root, 'migrations');
    await cp(DEFAULT_MIGRATIONS_DIR, before, { recursive: true });
    for (const name of await readdir(before)) if (name >= '20261220000000') await rm(join(before, name), { recursive: true });
    const test = await createTestDatabase();
    cleanup.push(() => test.drop());
    const dataDir = join(root, 'data');
    const dataKey = generateDataKey();
    const old = await openDatabase(test.databaseUrl ? { databaseUrl: test.databaseUrl, migrate: false } : { dataDir, migrate: false });
    const personal = new SealedBox((await loadDataKeys({ dataKey })).personalData);
    try {
      await applyMigrations(old.sql, { dir: before });
      const data = { legalName: 'Trương Văn Cũ', phone: '0912000111', idNumber: '079100200300' };
      // Raw SQL: this code's Prisma client knows columns the old database has not got yet.
      const insert = `INSERT INTO "Member" (id, kind, "displayName", "searchText", "privateData", "updatedAt") VALUES ($1, $2::"MemberKind", $3, $4, $5, now())`;
      await old.prisma.$executeRawUnsafe(insert, 'old-member', 'KOL', 'Thành viên cũ', 'thanh vien cu', personal.seal(JSON.stringify(data), 'member:old-member:personal'));
      await old.prisma.$executeRawUnsafe(insert, 'no-personal', 'BUSINESS', 'Không dữ liệu', 'khong du lieu', null);
    } finally {
      await old.close();
    }

    const registry = await openRegistry({ dataDir, dataKey, ...(test.databaseUrl ? { databaseUrl: test.databaseUrl } : {}) });
    try {
      expect(registry.migrations.applied).toContain('20261220000000_personal_data_rights');
      const { prisma } = registryInternals(registry).context;
      const bases = await prisma.processingBasis.findMany({ where: { memberId: 'old-member' } });
      expect(bases.map((b) => `${b.purpose}:${b.basis}:${b.recordedBy}`).sort()).toEqual([
        'CERTIFICATION:CONTRACT:migration:20261220000000',
        'CONTACT:CONTRACT:migration:20261220000000',
        'IDENTITY_CHECK:CONTRACT:migration:20261220000000',
      ]);
      expect(await prisma.processingBasis.count({ where: { memberId: 'no-personal' } })).toBe(0);
      const moved = await prisma.member.findUniqueOrThrow({ where: { id: 'old-member' } });
      expect(moved.dataKey).not.toBeNull();
      expect(() => personal.open(moved.privateData!, 'member:old-member:personal')).toThrow();
      const officer = { id: 'officer-upgrade', role: 'OFFICER' } as const;
      expect(await registry.readPersonalData('old-member', ['legalName', 'phone'], officer, { purpose: 'CONTACT' })).toEqual({ legalName: 'Trương Văn Cũ', phone: '0912000111' });
      expect(await registry.readPersonalData('old-member', ['idNumber'], officer, { purpose: 'IDENTITY_CHECK' })).toEqual({ idNumber: '079100200300' });
    } finally {
      await registry.close();
    }
  });
});
