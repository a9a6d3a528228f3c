/**
 * Signed answers (`typ: trust-verification+jwt`): a verification result as a JWT, so a business
 * can keep proof of what the registry said about an account at a given time. The claims are a
 * pure mapping of the result (reason codes, not messages: any reader renders them), so the
 * property test can check that a signed answer says what `verify` said.
 */
import { signSignedAnswer, type AnsweredReason, type SignedAnswerClaims } from '@trust-alliance/verifier';
import type { RegistryContext } from '../kernel/context.ts';
import type { VerificationResult } from '../rules/verification-result.ts';
import type { Reason } from '../rules/reasons.ts';

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

const answeredReason = (reason: Reason | null): AnsweredReason | null =>
  reason === null ? null : { code: reason.code, ...(reason.category ? { category: reason.category } : {}) };

/**
 * The claims of a result's signed answer (without signing it).
 * @example signedAnswerClaims(result, { iss: ctx.issuer, iat: 1735689600, jti: crypto.randomUUID() }).programs
 */
export function signedAnswerClaims(result: VerificationResult, header: { iss: string; iat: number; jti: string }): SignedAnswerClaims {
  // An INVALID_INPUT answer may hold half an input (a platform without a handle): sign what was given.
  const given = result.input as { url?: unknown; platform?: unknown; handle?: unknown };
  const input = typeof given.url === 'string' ? given.url : { platform: String(given.platform ?? ''), handle: String(given.handle ?? '') };
  return {
    iss: header.iss,
    iat: header.iat,
    jti: header.jti,
    input,
    key: result.account?.key ?? null,
    status: result.status,
    reason: answeredReason(result.reason),
    ...(result.program ? { program: result.program } : {}),
    programs: result.programs.map((p) => ({ program: p.program, status: p.status, reason: answeredReason(p.reason) })),
    checked_at: seconds(result.checkedAt),
    ...(result.at.getTime() !== result.checkedAt.getTime() ? { at: seconds(result.at) } : {}),
    badges: result.badges.map((b) => ({ id: b.id, program: b.program, status: b.status, expires_at: seconds(b.expiresAt) })),
    ...(result.member ? { member: { id: result.member.id, display_name: result.member.displayName, kind: result.member.kind } } : {}),
  };
}

/**
 * @example const jwt = await signAnswer(ctx, await verify(ctx, { url }, { program: 'KOL_TRUST' }));
 */
export async function signAnswer(ctx: RegistryContext, result: VerificationResult): Promise<string> {
  const claims = signedAnswerClaims(result, { iss: ctx.issuer, iat: seconds(ctx.now()), jti: crypto.randomUUID() });
  return signSignedAnswer(claims, await ctx.keys.current());
}
