/**
 * Rotating the master data key (issue 17): the master key only wraps stored keys. A database from
 * before stored secrets keeps reading exactly as before; a rotation re-wraps every stored key from
 * TRUST_DATA_KEY_PREVIOUS to TRUST_DATA_KEY in batches, resumes after an interruption, lets another
 * instance with both keys read throughout, and ends with the new key alone accepted and the old
 * one refused (KEY_ERROR). Pseudonyms, signed attestations and verify answers do not change.
 * Runs on the embedded database in a folder, or on PostgreSQL when DATABASE_URL is set.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDataKey, onboardMember, openRegistry, type Registry } from '../../src/index.ts';
import { MEMBERSHIP_BASES, createTestDatabase, ensurePledge, registryInternals, type TestDatabase } from '../../src/testing/index.ts';
import { KEY_CHECK_SETTING, keyCheckValue } from '../../src/privacy/key-check.ts';
import { loadDataKeys } from '../../src/privacy/data-key.ts';
import { SealedBox } from '../../src/privacy/sealed-box.ts';
import { uniqueFacebookUrl } from '../helpers.ts';

const OFFICER = { id: 'officer-rotation', role: 'OFFICER' } as const;
const PHONE = '0912 345 678';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** A database of its own (and a folder for the embedded one), and a way to open registries on it. */
async function place() {
  const database: TestDatabase = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'trust-rotation-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }), () => database.drop());
  const open = async (dataKey: string, previousDataKey?: string) => {
    const registry = await openRegistry({ databaseUrl: database.databaseUrl ?? '', dataDir, dataKey, previousDataKey });
    cleanup.push(() => registry.close().catch(() => {}));
    return registry;
  };
  return { open, postgres: database.databaseUrl !== undefined };
}

/** Members with personal data, an account, a badge, and an officer's recorded reason. */
async function populate(registry: Registry, count: number): Promise<Member[]> {
  await ensurePledge(registry);
  const ids: Member[] = [];
  for (let i = 0; i < count; i++) {
    const url = uniqueFacebookUrl(`rotation-${i}`);
    const { member } = await onboardMember(registry, {
      member: { kind: 'KOL', displayName: `Thành viên ${i}`, personal: { legalName: `Nguyễn Văn ${i}`, phone: `09120000${String(i).padStart(2, '0')}`, email: `tv${i}@example.vn` }, bases: [...MEMBERSHIP_BASES] },
      accounts: [url],
    });
    await registry.readPersonalData(member.id, ['phone'], OFFICER, { purpose: 'CONTACT', reason: `gọi lại cho thành viên ${i}` });
    ids.push({ id: member.id, url });
  }
  return ids;
}

/** A database written under an old key, with `count` members observed, and a new key to rotate to. */
async function writtenUnderOldKey(count: number) {
  const { open, postgres } = await place();
  const oldKey = generateDataKey();
  const newKey = generateDataKey();
  const first = await open(oldKey);
  const ids = await populate(first, count);
  const before = await observe(first, ids);
  await first.close();
  return { open, postgres, oldKey, newKey, ids, before };
}

interface Member {
  id: string;
  url: string;
}

/** Everything a member's keys and the registry's secrets open or compute, as a reader sees it. */
async function observe(registry: Registry, ids: readonly Member[]) {
  const members = [];
  for (const { id, url } of ids) {
    const view = await registry.subjectView(id, { id, role: 'MEMBER' });
    const answer = await registry.verify({ url });
    const badge = answer.badges[0]!;
    members.push({
      personal: view.personal,
      // The member's own export is logged too (without a reason): keep the officers' sealed reasons.
      reasons: view.accessLog.map((r) => r.reason).filter((r) => r !== null),
      answer: { status: answer.status, member: answer.member?.id, badges: answer.badges.map((b) => `${b.id}:${b.status}`) },
      attestation: (await registry.currentAttestation(badge.id))?.jws,
    });
  }
  const signed = await registry.signAnswer(await registry.verify({ url: 'https://facebook.com/khong.co.ai' }));
  return {
    members,
    pseudonym: registry.pseudonym('phone', PHONE),
    publicKey: registry.publicAccountKey(`zalo:${PHONE.replaceAll(' ', '')}`),
    signingKid: JSON.parse(Buffer.from(signed.split('.')[0]!, 'base64url').toString()).kid as string,
    logKeys: await registry.log.keys(),
    checkpointSigned: (await registry.log.latestCheckpoint()).jwt.length > 0,
  };
}

const keyIdOf = async (dataKey: string) => (await loadDataKeys({ dataKey })).id;
const prismaOf = (registry: Registry) => registryInternals(registry).context.prisma;
const hkdf = (master: string, info: string) => Buffer.from(hkdfSync('sha256', Buffer.from(master, 'base64url'), Buffer.alloc(0), info, 32));

describe('rotating the master data key', { timeout: 900_000 }, () => {
  it('a database from before stored secrets reads members, pseudonyms and signing keys exactly as before', async () => {
    const { open } = await place();
    const dataKey = generateDataKey();
    const first = await open(dataKey);
    const ids = await populate(first, 1);
    const before = await observe(first, ids);
    const prisma = prismaOf(first);
    // What the code before stored secrets used, computed here from its literal HKDF labels.
    const legacyPseudonym = createHmac('sha256', hkdf(dataKey, 'trust-alliance pseudonyms v1')).update('phone').update('\0').update(PHONE).digest('hex').slice(0, 32);
    expect(before.pseudonym).toBe(legacyPseudonym);
    const member = await prisma.member.findUniqueOrThrow({ where: { id: ids[0]!.id } });
    expect(() => new SealedBox(hkdf(dataKey, 'trust-alliance member-key wrapping v1')).open(member.dataKey!, `member-key:${member.id}`)).not.toThrow();
    const signing = await prisma.signingKey.findFirstOrThrow({ where: { status: 'CURRENT' } });
    expect(() => new SealedBox(hkdf(dataKey, 'trust-alliance signing-key wrapping v1')).open(signing.privateJwk, `signing-key:${signing.id}`)).not.toThrow();
    const contact = first.reportAccount({ account: uniqueFacebookUrl('legacy-report'), category: 'SCAM', description: 'lừa đảo', reporterContact: 'nguoibao@example.vn' });
    const reportId = (await contact).id;
    const report = await prisma.report.findUniqueOrThrow({ where: { id: reportId } });
    expect(new SealedBox(hkdf(dataKey, 'trust-alliance personal data v1')).open(report.reporterContact!, `report:${reportId}:contact`)).toBe('nguoibao@example.vn');
    // Back to the state the code before this change left: no stored secrets, no master key ids.
    await prisma.registrySecret.deleteMany({});
    await prisma.member.updateMany({ data: { dataKeyMasterKeyId: null } });
    await first.close();

    const upgraded = await open(dataKey);
    expect(await observe(upgraded, ids)).toEqual(before);
    const secrets = await prismaOf(upgraded).registrySecret.findMany({ orderBy: { name: 'asc' } });
    const keyId = await keyIdOf(dataKey);
    expect(secrets.map((s) => `${s.name}:${s.masterKeyId}`)).toEqual([`keyWrapping:${keyId}`, `personalData:${keyId}`, `pseudonyms:${keyId}`]);
  });

  it('re-wraps everything under the new key: the same data, pseudonyms and signatures; the old key alone is refused', async () => {
    const { open, oldKey, newKey, ids, before } = await writtenUnderOldKey(3);
    // The new key alone cannot open a database nothing was re-wrapped in yet.
    await expect(open(newKey)).rejects.toMatchObject({ code: 'KEY_ERROR' });

    const rolling = await open(newKey, oldKey);
    const progress: Array<[number, number]> = [];
    const result = await rolling.rotateDataKey({ batchSize: 2, onProgress: ({ done, total }) => void progress.push([done, total]) });
    expect(result).toMatchObject({ completed: true, masterKeyId: await keyIdOf(newKey), secrets: 3, members: 3 });
    expect(progress.at(-1)).toEqual([6, 6]);
    expect(progress.length).toBeGreaterThanOrEqual(4); // start, secrets, two batches of members
    const prisma = prismaOf(rolling);
    expect(new Set((await prisma.member.findMany({ select: { dataKeyMasterKeyId: true } })).map((m) => m.dataKeyMasterKeyId))).toEqual(new Set([await keyIdOf(newKey)]));
    expect(await prisma.registrySetting.findUniqueOrThrow({ where: { name: KEY_CHECK_SETTING } })).toMatchObject({ value: keyCheckValue(await loadDataKeys({ dataKey: newKey })) });
    // Run again: nothing left to do.
    expect(await rolling.rotateDataKey()).toMatchObject({ completed: true, secrets: 0, members: 0 });
    await rolling.close();

    const after = await open(newKey);
    expect(await observe(after, ids)).toEqual(before);
    await after.close();
    const refused = await open(oldKey).then(
      () => null,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(refused?.code).toBe('KEY_ERROR');
    expect(refused?.message).toMatch(/không khớp/);
    // Two keys, neither of them this database's: refused too, naming both.
    await expect(open(generateDataKey(), generateDataKey())).rejects.toMatchObject({ code: 'KEY_ERROR', message: expect.stringContaining('Neither is TRUST_DATA_KEY_PREVIOUS') });
  });

  it('an interrupted rotation resumes where it stopped and completes; another instance with both keys reads throughout', async () => {
    const { open, postgres, oldKey, newKey, ids, before } = await writtenUnderOldKey(5);

    const rotating = await open(newKey, oldKey);
    // The embedded database has one owner: there the rotating registry is also the reader.
    const reader = postgres ? await open(newKey, oldKey) : rotating;
    const newId = await keyIdOf(newKey);
    const stop = new AbortController();
    let midway: { under: Array<string | null>; members: unknown } | null = null;
    const interrupted = await rotating.rotateDataKey({
      batchSize: 2,
      signal: stop.signal,
      onProgress: async ({ done }) => {
        if (midway || done <= 3) return; // the three registry secrets come first
        // After the first batch of members: both forms are in the database, and both read.
        midway = {
          under: (await prismaOf(reader).member.findMany({ select: { dataKeyMasterKeyId: true } })).map((m) => m.dataKeyMasterKeyId),
          members: (await observe(reader, ids)).members,
        };
        stop.abort();
      },
    });
    expect(interrupted).toMatchObject({ completed: false, members: 2 });
    expect(midway!.under.filter((id) => id === newId)).toHaveLength(2);
    expect(midway!.under.filter((id) => id !== newId)).toHaveLength(3);
    expect(midway!.members).toEqual(before.members);
    // Not finished: the database still answers to the old key's check value.
    const oldCheck = keyCheckValue(await loadDataKeys({ dataKey: oldKey }));
    expect((await prismaOf(rotating).registrySetting.findUniqueOrThrow({ where: { name: KEY_CHECK_SETTING } })).value).toBe(oldCheck);

    const resumed = await rotating.rotateDataKey({ batchSize: 2 });
    expect(resumed).toMatchObject({ completed: true, secrets: 0, members: 3 });
    expect(await observe(reader, ids)).toEqual(before);
    if (reader !== rotating) await reader.close();
    await rotating.close();
    const after = await open(newKey);
    expect(await observe(after, ids)).toEqual(before);
  });
});
