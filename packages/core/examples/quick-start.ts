import { CERTIFICATION_STEPS, openRegistry } from '@trust-alliance/core';

// An embedded registry in memory (give `dataDir` to keep it, or `databaseUrl` for PostgreSQL).
const registry = await openRegistry({ dataDir: 'memory://' });

// The first pledge (code of conduct), in Vietnamese and English: the system's one-call bootstrap
// (the default actor is SYSTEM); every later version takes two ADMINs (proposePledgeVersion, approvePledgeVersion).
await registry.publishPledgeVersion({
  titleVi: 'Bộ quy tắc ứng xử', titleEn: 'Code of conduct',
  textVi: 'Tôi cam kết tuân thủ pháp luật và không đăng tin giả.', textEn: 'I pledge to obey the law and not post false news.',
});

// A KOL registers with a Facebook page and proves they control it. Personal data is stored only
// under a legal basis (Law 91/2025/QH15): here her consent to be contacted, given online on notice v1.
const member = await registry.registerMember({
  kind: 'KOL', displayName: 'Nguyễn Thị Minh Thư', province: 'Cần Thơ', personal: { phone: '0901234567' },
  bases: [{ purpose: 'CONTACT', basis: 'CONSENT', noticeVersion: 1, method: 'ONLINE' }],
});
const { account } = await registry.addAccount({ memberId: member.id, account: 'https://www.facebook.com/minhthu.cantho' });
const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId: member.id });
// …the member puts challenge.code in the page's bio; an officer sees it there:
await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code });

// Officers activate the member, who signs the pledge, passes the assessment and gets a badge.
await registry.changeMemberStatus({ memberId: member.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' });
await registry.signPledge({ memberId: member.id, method: 'IN_PERSON' });
await registry.recordAssessment({
  memberId: member.id, program: 'KOL_TRUST', steps: [...CERTIFICATION_STEPS],
  scores: { LEGAL_COMPLIANCE: 27, CONTENT_QUALITY: 18, TRANSPARENCY: 16, COMMUNITY_IMPACT: 12, CONDUCT_HISTORY: 13 },
});
const badge = await registry.issueBadge({ memberId: member.id, program: 'KOL_TRUST' });

// Anyone can now check the page, however they write its address.
for (const url of ['https://m.facebook.com/MinhThu.CanTho/?ref=share', 'fb.com/minhthu.cantho', 'https://web.facebook.com/minhthucantho/posts/123']) {
  const answer = await registry.verify({ url });
  console.log(url, '→', answer.status, answer.badges.map((b) => `${b.program} until ${b.expiresAt.toISOString().slice(0, 10)}`));
}

// The badge's signed attestation, for platforms that check offline.
console.log('attestation:', (await registry.currentAttestation(badge.id))?.jws.slice(0, 40), '…');
await registry.close();
