/**
 * A Zalo personal account is a phone number: the public `Account` fields (`key`, `handle`,
 * `url`, reached through a member's profile or `node`) show it only as core's keyed pseudonym,
 * except to OFFICER/ADMIN and to the member administering it. Other keys are shown as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifiedMember } from '@trust-alliance/core/testing';
import { globalId } from '../../services/api/src/schema/ids.ts';
import { openTestApp, type TestApp } from './helpers.ts';

const PROFILE = `query($id: ID!) { member(id: $id) { accounts { account { key handle url platform } } } }`;

let t: TestApp;
let memberId: string;
const page = `https://www.facebook.com/kenh${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  t = await openTestApp();
  ({ member: { id: memberId } } = await createVerifiedMember(t.registry, { accounts: [page, 'https://zalo.me/0912 345 678'] }));
});
afterAll(() => t?.close());

const accountsAs = async (as?: Parameters<TestApp['gql']>[2]) => {
  const res = await t.gql(PROFILE, { id: globalId('Member', memberId) }, as);
  expect(res.errors).toBeUndefined();
  return res.data!.member.accounts.map((a: { account: unknown }) => a.account) as Array<{ key: string; handle: string; url: string | null; platform: string }>;
};

describe('Account fields of a phone account', () => {
  it('are a keyed pseudonym for the public and other members, with no URL', async () => {
    const pseudonym = t.registry.publicAccountKey('zalo:phone:84912345678');
    expect(pseudonym).toMatch(/^zalo:phone:~[0-9a-f]{32}$/);
    for (const as of [undefined, 'PLATFORM', { role: 'MEMBER', subject: 'someone-else' }] as const) {
      const accounts = await accountsAs(as);
      expect(accounts.find((a) => a.platform === 'ZALO')).toEqual({ platform: 'ZALO', key: pseudonym, handle: pseudonym.slice('zalo:phone:'.length), url: null });
      expect(accounts.find((a) => a.platform === 'FACEBOOK')?.url).toMatch(/^https:\/\/www\.facebook\.com\//);
      expect(JSON.stringify(accounts)).not.toMatch(/912345678/);
    }
  });

  it('are in clear for officers and for the member administering the account', async () => {
    for (const as of ['OFFICER', 'ADMIN', { role: 'MEMBER', subject: memberId }] as const) {
      const zalo = (await accountsAs(as)).find((a) => a.platform === 'ZALO');
      expect(zalo).toEqual({ platform: 'ZALO', key: 'zalo:phone:84912345678', handle: '84912345678', url: 'https://zalo.me/84912345678' });
    }
  });
});
