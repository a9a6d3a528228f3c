/** One seeded test server shared by the interop tests of a file. */
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { openTestServer, type TestServer } from '../api/helpers.ts';

export async function seededServer(): Promise<TestServer> {
  const t = await openTestServer();
  await seedDemo(t.registry);
  return t;
}

/** The status-list URI and index of the attestation of `url`'s first badge. */
export async function attestationOf(t: TestServer, url: string): Promise<{ jws: string; uri: string; idx: number }> {
  const badge = (await t.registry.verify({ url })).badges[0]!;
  const jws = (await t.registry.currentAttestation(badge.id))!.jws;
  const claims = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { status: { status_list: { uri: string; idx: number } } };
  return { jws, ...claims.status.status_list };
}
