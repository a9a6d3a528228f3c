/**
 * The public form of account keys (privacy/public-account.ts) and the report commitments of
 * the log (privacy/commitments.ts): what an auditor can check once a report is opened, and what
 * no one can learn before.
 */
import { describe, expect, it } from 'vitest';
import { checkCommitment, containsPhoneNumber, reportCommitmentFields, type Registry } from '../../src/index.ts';
import { commit, commitmentOpening } from '../../src/privacy/commitments.ts';
import { generateDataKey, loadDataKeys } from '../../src/privacy/data-key.ts';
import { Pseudonyms } from '../../src/privacy/pseudonyms.ts';
import { publicAccount, publicAccountKey } from '../../src/privacy/public-account.ts';
import { createVerifiedMember, registryInternals } from '../../src/testing/index.ts';
import { uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

const pseudonyms = async () => new Pseudonyms((await loadDataKeys({ dataKey: generateDataKey() })).pseudonyms);

describe('publicAccountKey', () => {
  it.each([
    ['zalo:phone:84901234567', true],
    ['tiktok:@shop0938111222', true],
    ['x:ban84987654321', true],
    ['facebook:100064123456789', false],
    ['facebook:tinnhiemsocantho', false],
    ['zalo:oa:4318862145830412345', false],
    ['zalo:g:abcdef', false],
    ['youtube:channel:UC0901234567abcdefghijkl', true],
  ])('%s holds a phone number: %s', (key, phone) => {
    expect(containsPhoneNumber(key)).toBe(phone);
  });

  it('hides a phone account behind a stable keyed pseudonym and leaves other keys alone', async () => {
    const p = await pseudonyms();
    const shown = publicAccountKey(p, 'zalo:phone:84901234567');
    expect(shown).toMatch(/^zalo:phone:~[0-9a-f]{32}$/);
    expect(publicAccountKey(p, 'zalo:phone:84901234567')).toBe(shown);
    expect(publicAccountKey(p, 'zalo:phone:84901234568')).not.toBe(shown);
    expect(publicAccountKey(await pseudonyms(), 'zalo:phone:84901234567')).not.toBe(shown);
    expect(publicAccountKey(p, 'tiktok:@shop0938111222')).toMatch(/^tiktok:~[0-9a-f]{32}$/);
    expect(publicAccountKey(p, 'facebook:tinnhiemsocantho')).toBe('facebook:tinnhiemsocantho');
    expect(publicAccount(p, { key: 'zalo:phone:84901234567', handle: '84901234567', url: 'https://zalo.me/84901234567' })).toEqual({
      key: shown, handle: shown.slice('zalo:phone:'.length), url: null, hidden: true,
    });
  });
});

describe('commitments', () => {
  it('check only with the right opening and the very fields committed to', async () => {
    const p = await pseudonyms();
    const opening = commitmentOpening(p, 'report', 'r1');
    expect(opening).toMatch(/^[0-9a-f]{32}$/);
    expect(commitmentOpening(p, 'report', 'r2')).not.toBe(opening);
    const fields = reportCommitmentFields('r1', 'facebook:gia.mao', 'SCAM');
    const c = commit(opening, fields);
    expect(c).toMatch(/^[0-9a-f]{64}$/);
    expect(checkCommitment(c, opening, fields)).toBe(true);
    expect(checkCommitment(c, opening, reportCommitmentFields('r1', 'facebook:gia.mao', 'IMPERSONATION'))).toBe(false);
    expect(checkCommitment(c, opening, reportCommitmentFields('r1', 'facebook:khac', 'SCAM'))).toBe(false);
    expect(checkCommitment(c, opening, reportCommitmentFields('r2', 'facebook:gia.mao', 'SCAM'))).toBe(false);
    expect(checkCommitment(c, commitmentOpening(p, 'report', 'r2'), fields)).toBe(false);
    expect(checkCommitment(c, 'not hex', fields)).toBe(false);
  });
});

describe('reports in the log', () => {
  let registry: Registry;
  useFileRegistry((t) => ({ registry } = t));

  const entriesOf = async (subject: string) =>
    (await registryInternals(registry).db.prisma.logEntry.findMany({ orderBy: { idx: 'asc' } })).map((e) => JSON.parse(e.payload) as { kind: string; subject: string; data: Record<string, string | boolean> }).filter((e) => e.subject === subject);

  it('a confirmed report opens its commitment: anyone can check the account and category were fixed when it was filed', async () => {
    const url = uniqueFacebookUrl('mao.danh');
    const report = await registry.reportAccount({ account: url, category: 'IMPERSONATION', description: 'Giả mạo' });
    await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đúng', flagAccount: true });
    const [filed, resolved] = await entriesOf(report.id);
    expect(filed).toMatchObject({ kind: 'report.filed', data: { commitment: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(Object.keys(filed!.data)).toEqual(['commitment']);
    expect(resolved).toMatchObject({ kind: 'report.resolved', data: { decision: 'CONFIRMED', key: report.accountKey, category: 'IMPERSONATION', flagged: true } });
    const d = resolved!.data as Record<string, string>;
    expect(checkCommitment(filed!.data.commitment as string, d.opening!, reportCommitmentFields(report.id, d.key!, d.category!))).toBe(true);
    expect(checkCommitment(filed!.data.commitment as string, d.opening!, reportCommitmentFields(report.id, d.key!, 'SCAM'))).toBe(false);
  });

  it('a dismissed report stays a closed commitment; the registry can open it to an auditor', async () => {
    const report = await registry.reportAccount({ account: { platform: 'ZALO', handle: '0977 888 999' }, category: 'SCAM', description: 'Nghi lừa' });
    await registry.resolveReport({ reportId: report.id, decision: 'DISMISSED', resolution: 'Không có căn cứ' });
    const [filed, resolved] = await entriesOf(report.id);
    expect(resolved!.data).toEqual({ decision: 'DISMISSED' });
    // What the registry hands an auditor for this one report, and nothing else.
    const opening = commitmentOpening(registryInternals(registry).context.pseudonyms, 'report', report.id);
    const fields = reportCommitmentFields(report.id, registry.publicAccountKey(report.accountKey), report.category);
    expect(fields[2]).toMatch(/^zalo:phone:~/);
    expect(checkCommitment(filed!.data.commitment as string, opening, fields)).toBe(true);
  });

  it('a flagged Zalo phone account appears in the log and in lookalike-free answers only as its pseudonym', async () => {
    const report = await registry.reportAccount({ account: 'https://zalo.me/0355666777', category: 'SCAM', description: 'Lừa đặt cọc' });
    const { flag } = await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đúng', flagAccount: true });
    await registry.liftFlag({ flagId: flag!.id, reason: 'Chủ thật lấy lại số' });
    const pseudonym = registry.publicAccountKey('zalo:phone:84355666777');
    const entries = [...(await entriesOf(report.id)), ...(await entriesOf(flag!.id))];
    expect(entries.map((e) => e.data.key)).toEqual([undefined, pseudonym, pseudonym]);
    expect(JSON.stringify(entries)).not.toMatch(/355666777/);
    // The caller's own input is answered as given.
    expect((await registry.verify({ url: 'zalo.me/0355666777' })).account?.key).toBe('zalo:phone:84355666777');
  });

  it('account events name a phone account by its pseudonym', async () => {
    const { member, accountIds } = await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('chu.zalo'), 'https://zalo.me/0912000111'] });
    const entries = await entriesOf(accountIds[1]!);
    expect(entries.find((e) => e.kind === 'account.linked')?.data).toMatchObject({ memberId: member.id, key: registry.publicAccountKey('zalo:phone:84912000111'), platform: 'ZALO' });
    await registry.renameAccount({ accountId: accountIds[1]!, account: 'https://zalo.me/0912000222' });
    const renamed = (await entriesOf(accountIds[1]!)).find((e) => e.kind === 'account.renamed')!;
    expect(renamed.data).toMatchObject({ from: registry.publicAccountKey('zalo:phone:84912000111'), to: registry.publicAccountKey('zalo:phone:84912000222') });
    expect(JSON.stringify(await entriesOf(accountIds[1]!))).not.toMatch(/912000/);
  });
});
