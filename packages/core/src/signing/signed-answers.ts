/**
 * Signed answers (`typ: trust-verification+jwt`): a verification result as a JWT, so a business
 * can keep proof of what the registry said about an account at a given time.
 */
import { signSignedAnswer, type SignedAnswerClaims } from '@trust-alliance/verifier';
import type { RegistryContext } from '../registry/context.ts';
import type { VerificationResult } from '../verification/verification-result.ts';

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * @example const jwt = await signAnswer(ctx, await verify(ctx, { url }));
 */
export async function signAnswer(ctx: RegistryContext, result: VerificationResult): Promise<string> {
  const input = 'url' in result.input ? result.input.url : { platform: String(result.input.platform), handle: result.input.handle };
  const claims: SignedAnswerClaims = {
    iss: ctx.issuer,
    iat: seconds(ctx.now()),
    jti: crypto.randomUUID(),
    input,
    key: result.account?.key ?? null,
    status: result.status,
    checked_at: seconds(result.checkedAt),
    ...(result.at.getTime() !== result.checkedAt.getTime() ? { at: seconds(result.at) } : {}),
    badges: result.badges.map((b) => ({ id: b.id, program: b.program, status: b.status, expires_at: seconds(b.expiresAt) })),
    ...(result.member ? { member: { id: result.member.id, display_name: result.member.displayName, kind: result.member.kind } } : {}),
  };
  return signSignedAnswer(claims, await ctx.keys.current());
}
