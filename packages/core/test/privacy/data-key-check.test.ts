/**
 * The data key is checked at open (issue 10, item 7): a registry written under key A refuses to
 * open under key B with KEY_ERROR, before anything is written, and opens again under A. A
 * database written before check values existed is checked against its signing key. Runs on the
 * embedded database in a folder, or on PostgreSQL when DATABASE_URL is set.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataKey, openRegistry, type Registry } from '../../src/index.ts';
import { MEMBERSHIP_BASES, createTestDatabase, type TestDatabase, registryInternals } from '../../src/testing/index.ts';
import { KEY_CHECK_SETTING } from '../../src/privacy/key-check.ts';

let database: TestDatabase;
let dataDir: string;
const keyA = generateDataKey();
const keyB = generateDataKey();

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'trust-keycheck-'));
});
afterAll(async () => {
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const open = (dataKey: string) => openRegistry({ databaseUrl: database.databaseUrl ?? '', dataDir, dataKey });

/** Everything a refused open must leave as it was. */
async function snapshot(registry: Registry) {
  const p = registryInternals(registry).context.prisma;
  return {
    members: await p.member.count(),
    log: await p.logEntry.count(),
    keys: (await p.signingKey.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } })).map((k) => `${k.id}:${k.status}`),
    settings: await p.registrySetting.findMany({ orderBy: { name: 'asc' } }),
  };
}

describe('the data key is checked when the registry opens', { timeout: 600_000 }, () => {
  it('refuses key B on data written under key A with KEY_ERROR and changes nothing', async () => {
    const first = await open(keyA);
    const member = await first.registerMember({ kind: 'KOL', displayName: 'Phan Khóa Đúng', personal: { phone: '0900000001' }, bases: [...MEMBERSHIP_BASES] });
    const before = await snapshot(first);
    expect(before.settings.map((s) => s.name)).toEqual([KEY_CHECK_SETTING]);
    await first.close();

    const refused = await open(keyB).then(
      () => null,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(refused?.code).toBe('KEY_ERROR');
    expect(refused?.message).toMatch(/TRUST_DATA_KEY is not the key this data was encrypted with; nothing was opened or changed/);
    expect(refused?.message).toMatch(/TRUST_DATA_KEY không khớp/);
    expect(refused?.message).toContain('pnpm cli keys data-key');

    const again = await open(keyA);
    try {
      expect(await snapshot(again)).toEqual(before);
      expect(await again.readPersonalData(member.id, ['phone'], { id: 'officer', role: 'OFFICER' }, { purpose: 'CONTACT' })).toEqual({ phone: '0900000001' });
    } finally {
      await again.close();
    }
  });

  it('checks a database written before check values existed against its signing key', async () => {
    const first = await open(keyA);
    await registryInternals(first).context.prisma.registrySetting.deleteMany({});
    await first.close();

    await expect(open(keyB)).rejects.toMatchObject({ code: 'KEY_ERROR' });
    const again = await open(keyA);
    try {
      // The right key is recorded now, so the next wrong key is refused by the check value.
      expect(await registryInternals(again).context.prisma.registrySetting.count()).toBe(1);
    } finally {
      await again.close();
    }
    await expect(open(keyB)).rejects.toMatchObject({ code: 'KEY_ERROR' });
  });
});
