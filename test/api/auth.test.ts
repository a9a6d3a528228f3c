/**
 * Authentication and scopes: bad, expired, wrongly typed and foreign tokens are refused with
 * UNAUTHENTICATED (HTTP 401), never downgraded to PUBLIC; each role is allowed and refused
 * where the issue says; personal fields are for officers only and every read is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import { createVerifiedMember, registryInternals } from '@trust-alliance/core/testing';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';
import { ADD_ACCOUNT, REGISTER, SIGN, START_CHALLENGE, VERIFY } from './documents.ts';

let t: TestApp;
let memberId: string;
let otherId: string;
beforeAll(async () => {
  t = await openTestApp();
  const reg = await t.gql(REGISTER, { input: { kind: 'KOL', displayName: 'Trương Mỹ Nhân', province: 'Cần Thơ', personal: { legalName: 'Trương Thị Mỹ Nhân', phone: '0292 3812 345', email: 'mynhan@example.vn', idNumber: '092190001111', address: 'Ninh Kiều, Cần Thơ' }, bases: [{ purpose: 'CERTIFICATION', basis: 'CONTRACT' }, { purpose: 'CONTACT', basis: 'CONSENT', noticeVersion: 1, method: 'IN_PERSON' }] } }, 'OFFICER');
  memberId = reg.data!.registerMember.member.id;
  otherId = (await t.gql(REGISTER, { input: { kind: 'KOL', displayName: 'Người Khác' } }, 'OFFICER')).data!.registerMember.member.id;
});
afterAll(() => t?.close());

const PING = `{ verify(input: {url: "fb.com/tinnhiemso.cantho"}) { status } }`;

describe('tokens', () => {
  it('no token is PUBLIC: verify works', async () => {
    const res = await t.gql(PING);
    expect(res.status).toBe(200);
    expect(res.data!.verify.status).toBe('NOT_FOUND');
  });

  it('refuses garbage, a bad signature, an expired token, a wrong typ, a wrong audience and a non-Bearer scheme with 401', async () => {
    const good = await t.token('OFFICER');
    const [h, p, s] = good.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'ADMIN' })).toString('base64url')}.${s}`;
    const expired = await t.token('OFFICER', undefined, 1);
    const { privateKey, kid, alg } = await t.registry.keys.current();
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const base = () => new SignJWT({ role: 'OFFICER' }).setIssuer(t.registry.issuer).setAudience('trust-alliance-api').setSubject('x').setIssuedAt(now).setExpirationTime(now + 600);
    const wrongTyp = await base().setProtectedHeader({ alg, kid, typ: 'trust-mark+jwt' }).sign(privateKey);
    const noTyp = await base().setProtectedHeader({ alg, kid }).sign(privateKey);
    const wrongAud = await new SignJWT({ role: 'OFFICER' }).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuer(t.registry.issuer).setAudience('someone-else').setSubject('x').setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey);
    const wrongIss = await new SignJWT({ role: 'OFFICER' }).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuer('https://evil.example').setAudience('trust-alliance-api').setSubject('x').setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey);
    const other = await generateKeyPair('Ed25519');
    const foreignKey = await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' }).setIssuer(t.registry.issuer).setAudience('trust-alliance-api').setSubject('x').setIssuedAt(now).setExpirationTime(now + 600).sign(other.privateKey);
    const unknownRole = await new SignJWT({ role: 'SUPERUSER' }).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuer(t.registry.issuer).setAudience('trust-alliance-api').setSubject('x').setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey);
    // Sanity: the same construction with the right typ is accepted (so the refusals are about typ/aud/iss).
    const right = await base().setProtectedHeader({ alg, kid, typ: 'at+jwt' }).sign(privateKey);
    expect((await t.gql(PING, {}, { authorization: `Bearer ${right}` })).status).toBe(200);

    t.clock.advance(5_000);
    const headers = ['Bearer nonsense', `Bearer ${tampered}`, `Bearer ${expired}`, `Bearer ${wrongTyp}`, `Bearer ${noTyp}`, `Bearer ${wrongAud}`, `Bearer ${wrongIss}`, `Bearer ${foreignKey}`, `Bearer ${unknownRole}`, `Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${good} extra`];
    for (const authorization of headers) {
      const res = await t.gql(PING, {}, { authorization });
      expect(res.status, authorization.slice(0, 30)).toBe(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });
});

describe('scopes', () => {
  const PERSONAL = `query($id: ID!) { member(id: $id) { id displayName legalName(purpose: CONTACT) phone(purpose: CONTACT) email(purpose: CONTACT) idNumber(purpose: CERTIFICATION) address(purpose: CONTACT) } }`;

  it('personal fields: OFFICER and ADMIN read them and each read is recorded', async () => {
    for (const role of ['OFFICER', 'ADMIN'] as const) {
      const res = await t.gql(PERSONAL, { id: memberId }, role);
      expect(res.errors).toBeUndefined();
      expect(res.data!.member).toMatchObject({ legalName: 'Trương Thị Mỹ Nhân', phone: '0292 3812 345', email: 'mynhan@example.vn', idNumber: '092190001111', address: 'Ninh Kiều, Cần Thơ' });
    }
    const raw = memberId.length === 36 ? memberId : Buffer.from(memberId, 'base64').toString().split(':')[1]!;
    const reads = await registryInternals(t.registry).context.prisma.personalDataAccess.findMany({ where: { memberId: raw } });
    // One recorded read per purpose asked, per request.
    expect(reads.map((r) => `${r.role}:${r.purpose}`).sort()).toEqual(['ADMIN:CERTIFICATION', 'ADMIN:CONTACT', 'OFFICER:CERTIFICATION', 'OFFICER:CONTACT']);
    expect(reads.filter((r) => r.role === 'OFFICER').flatMap((r) => r.fields).sort()).toEqual(['address', 'email', 'idNumber', 'legalName', 'phone']);
  });

  it('personal fields: everyone else gets null and a FORBIDDEN error per field, and nothing is recorded', async () => {
    const before = await registryInternals(t.registry).context.prisma.personalDataAccess.count();
    for (const as of [undefined, 'PLATFORM', 'BUSINESS', { role: 'MEMBER' as const, subject: memberId }] as const) {
      const res = await t.gql(PERSONAL, { id: memberId }, as as never);
      expect(res.data!.member).toMatchObject({ displayName: 'Trương Mỹ Nhân', legalName: null, phone: null, email: null, idNumber: null, address: null });
      expect(res.errors).toHaveLength(5);
      expect(res.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
      expect(res.errors!.map((e) => e.path!.at(-1)).sort()).toEqual(['address', 'email', 'idNumber', 'legalName', 'phone']);
    }
    expect(await registryInternals(t.registry).context.prisma.personalDataAccess.count()).toBe(before);
  });

  it('lifecycle mutations are for OFFICER and ADMIN only', async () => {
    const input = { kind: 'KOL', displayName: 'Ai Đó' };
    for (const role of ['OFFICER', 'ADMIN'] as const) expect((await t.gql(REGISTER, { input }, role)).data!.registerMember.__typename).toBe('MemberPayload');
    for (const as of [undefined, 'PLATFORM', 'BUSINESS', { role: 'MEMBER' as const, subject: memberId }]) {
      const res = await t.gql(REGISTER, { input }, as as never);
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.data?.registerMember ?? null).toBeNull();
    }
  });

  it('a MEMBER may add accounts, start challenges and sign for itself only', async () => {
    const self = { role: 'MEMBER' as const, subject: memberId };
    const own = await t.gql(ADD_ACCOUNT, { input: { memberId, url: 'https://www.tiktok.com/@mynhan.review' } }, self);
    expect(own.data!.addAccount.__typename).toBe('AddAccountPayload');
    const accountId = own.data!.addAccount.account.id;
    const foreign = await t.gql(ADD_ACCOUNT, { input: { memberId: otherId, url: 'https://www.tiktok.com/@nguoikhac' } }, self);
    expect(codeOf(foreign)).toBe('FORBIDDEN');
    expect((await t.gql(START_CHALLENGE, { input: { accountId, memberId } }, self)).data!.startOwnershipChallenge.challenge.code).toMatch(/^TINNHIEM-/);
    expect(codeOf(await t.gql(START_CHALLENGE, { input: { accountId, memberId: otherId } }, self))).toBe('FORBIDDEN');
    // The challenge is visible to the member itself and to officers, nobody else.
    const CHALLENGES = `query($id: ID!) { member(id: $id) { challenges { code } } }`;
    expect((await t.gql(CHALLENGES, { id: memberId }, self)).data!.member.challenges).toHaveLength(1);
    expect((await t.gql(CHALLENGES, { id: memberId }, 'OFFICER')).data!.member.challenges).toHaveLength(1);
    expect(codeOf(await t.gql(CHALLENGES, { id: memberId }, { role: 'MEMBER', subject: otherId }))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CHALLENGES, { id: memberId }))).toBe('FORBIDDEN');
    // Signing: there is no pledge yet, so the typed NotFoundError shows the call was allowed.
    expect((await t.gql(SIGN, { input: { memberId, method: 'ONLINE' } }, self)).data!.signPledge).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(codeOf(await t.gql(SIGN, { input: { memberId: otherId, method: 'ONLINE' } }, self))).toBe('FORBIDDEN');
  });

  it('reports are for officers, as a query and as a type', async () => {
    await t.gql(`mutation { reportAccount(input: {url: "fb.com/scam.page.cantho", category: SCAM, description: "Lừa đảo"}) { __typename } }`);
    const Q = `{ reports { id status accountKey } }`;
    expect((await t.gql(Q, {}, 'OFFICER')).data!.reports[0]).toMatchObject({ status: 'OPEN', accountKey: 'facebook:scampagecantho' });
    for (const as of [undefined, 'PLATFORM', 'BUSINESS'] as const) expect(codeOf(await t.gql(Q, {}, as as never))).toBe('FORBIDDEN');
  });

  it('assessments cannot be reached through a relation by non-officers', async () => {
    const { member } = await createVerifiedMember(t.registry, { accounts: ['https://www.facebook.com/assessed.kol'] });
    const Q = `query($id: ID!) { member(id: $id) { displayName assessments { totalScore } } }`;
    const officer = await t.gql(Q, { id: member.id }, 'OFFICER');
    expect(officer.data!.member.assessments[0].totalScore).toBe(85);
    const pub = await t.gql(Q, { id: member.id });
    expect(pub.data!.member).toBeNull(); // the non-null list is refused; the error bubbles to the nullable member
    expect(codeOf(pub)).toBe('FORBIDDEN');
    // verify stays public for everyone
    expect((await t.gql(VERIFY, { input: { url: 'fb.com/assessed.kol' } })).data!.verify.status).toBe('VERIFIED');
  });
});
