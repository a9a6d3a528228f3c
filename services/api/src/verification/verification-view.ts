/**
 * The public shape of one verification answer, shared by the GraphQL `verify`/`verifyMany`
 * fields and `GET /v1/verify`: core's result mapped once (Relay global ids for members and
 * badges, the input echoed with explicit nulls), so the two can never disagree. `Date`s stay
 * `Date`s here; `JSON.stringify` writes them as ISO 8601 strings, as the `DateTime` scalar does.
 *
 * Also the input rules both share: exactly one of `url` or `platform` + `handle`, and their
 * maximum lengths.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Platform, ReasonView, VerificationResult, VerifyInput } from '@trust-alliance/core';

/** Longest URL accepted (longer input is a client bug, not an account). */
export const MAX_ACCOUNT_INPUT_LENGTH = 2048;
/** Longest handle accepted. */
export const MAX_HANDLE_LENGTH = 300;

/** The input shape shared by verification and account inputs (GraphQL and HTTP). */
export interface AccountArg {
  url?: string | null;
  platform?: string | null;
  handle?: string | null;
}

/** Exactly one of `url` or (`platform` and `handle`). */
export function isOneAccountForm(input: AccountArg): boolean {
  const hasUrl = input.url != null;
  const hasPair = input.platform != null && input.handle != null;
  const hasPart = input.platform != null || input.handle != null;
  return hasUrl ? !hasPart : hasPair;
}

/**
 * Maps the API input to core's, keeping every field given: core answers a malformed one (both
 * forms, half of one) with INVALID_INPUT, as it does any input it cannot place.
 */
export function toAccountInput(input: AccountArg): VerifyInput {
  const given: Record<string, string> = {};
  if (input.url != null) given.url = input.url;
  if (input.platform != null) given.platform = input.platform;
  if (input.handle != null) given.handle = input.handle;
  return given as VerifyInput;
}

/** A verified account the asked-about one looks like. */
export type LookalikeView = VerificationResult['lookalikeOf'][number];

/** One answer as the API shows it (GraphQL `VerificationResult` minus the per-request extras). */
export interface VerificationView {
  status: VerificationResult['status'];
  /** Why not VERIFIED (null when VERIFIED), message in the asked language. */
  reason: ReasonView | null;
  /** The program asked about, or null. */
  program: string | null;
  programs: Array<{ program: string; status: VerificationResult['status']; reason: ReasonView | null }>;
  input: { url: string | null; platform: string | null; handle: string | null };
  account: { platform: Platform; key: string; url: string } | null;
  /** `id` is the Member node id. */
  member: { id: string; displayName: string; kind: string; province: string | null } | null;
  /** `id` is the Badge node id. */
  badges: Array<{ id: string; program: string; status: VerificationResult['badges'][number]['status']; issuedAt: Date; expiresAt: Date }>;
  flags: Array<{ category: string; since: Date }>;
  lookalikeOf: LookalikeView[];
  error: { code: string; message: string } | null;
  checkedAt: Date;
  at: Date;
}

/**
 * @example
 * const view = toVerificationView(await registry.verify({ url }));
 * res.end(JSON.stringify(view)); // the same fields and values GraphQL's `verify` returns
 */
export function toVerificationView(result: VerificationResult): VerificationView {
  const { input } = result;
  return {
    status: result.status,
    reason: result.reason ? { ...result.reason } : null,
    program: result.program,
    programs: result.programs.map((p) => ({ program: p.program, status: p.status, reason: p.reason ? { ...p.reason } : null })),
    input: 'url' in input ? { url: input.url, platform: null, handle: null } : { url: null, platform: String(input.platform), handle: input.handle },
    account: result.account ? { platform: result.account.platform, key: result.account.key, url: result.account.url } : null,
    member: result.member ? { id: encodeGlobalID('Member', result.member.id), displayName: result.member.displayName, kind: result.member.kind, province: result.member.province } : null,
    badges: result.badges.map((b) => ({ id: encodeGlobalID('Badge', b.id), program: b.program, status: b.status, issuedAt: b.issuedAt, expiresAt: b.expiresAt })),
    flags: result.flags.map((f) => ({ category: f.category, since: f.since })),
    lookalikeOf: (result.lookalikeOf ?? []).map((l) => ({ platform: l.platform, key: l.key, url: l.url, displayName: l.displayName, match: l.match })),
    error: result.error ? { code: result.error.code, message: result.error.message } : null,
    checkedAt: result.checkedAt,
    at: result.at,
  };
}
