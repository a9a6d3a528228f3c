/**
 * The facts the one decision reads for an account, typed and in time order: its flags and, for
 * each member that administers it, ownership, member-status events, pledge signatures and
 * badges with their events. verification/account-facts.ts builds them from lookup rows; the
 * hot-lookup cache keeps them; rules/decision.ts decides from them.
 */
import type { BadgeEventFacts, SignatureFacts } from './standing.ts';

export interface TimedStatus {
  status: string;
  at: Date;
}

export interface AdminFacts {
  member: { id: string; displayName: string; kind: string; province: string | null };
  /** In time order, like every history here. */
  ownership: TimedStatus[];
  memberEvents: TimedStatus[];
  signatures: SignatureFacts[];
  badges: Array<{ id: string; program: string; issuedAt: Date; events: BadgeEventFacts[] }>;
}

export interface AccountFacts {
  /** Null when no account has the key (then only flags can say something). */
  accountId: string | null;
  platform: string | null;
  key: string | null;
  url: string | null;
  flags: Array<{ category: string; createdAt: Date; liftedAt: Date | null }>;
  admins: AdminFacts[];
}
