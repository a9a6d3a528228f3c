/**
 * The two-person rule for what changes the meaning of "trusted" (a certification policy
 * version, a pledge version): one ADMIN proposes, a different ADMIN approves. Kept in one
 * place so every such change enforces it the same way, with the same error and rule names.
 */
import { ForbiddenError } from '../errors.ts';
import type { Actor, RegistryContext } from '../kernel/context.ts';

/**
 * Refuses anyone but an ADMIN (rule `ADMIN_ONLY`).
 * @example requireAdmin(actor, 'propose a certification policy version');
 */
export function requireAdmin(actor: Actor, action: string): void {
  if (actor.role !== 'ADMIN') {
    throw new ForbiddenError('ADMIN_ONLY', `Only an ADMIN may ${action} (the actor is ${actor.role}) / Chỉ ADMIN được phép thực hiện việc này`);
  }
}

/**
 * Refuses an approval by the ADMIN who proposed (rule `TWO_ADMINS`).
 * @example requireSecondAdmin(proposal.proposedBy, actor, 'approve this pledge version');
 */
export function requireSecondAdmin(proposedBy: string | null, approver: Actor, action: string): void {
  requireAdmin(approver, action);
  if (proposedBy === approver.id) {
    throw new ForbiddenError('TWO_ADMINS', `The ADMIN who proposed cannot ${action}: another ADMIN must approve / Người đề xuất không được tự phê duyệt: cần một ADMIN khác`);
  }
}

/**
 * What the public log says about who acted: a keyed pseudonym, so anyone can see that two
 * different people proposed and approved without learning who they are.
 * @example actorPseudonym(ctx, actor) // '9b1d…' (32 hex digits)
 */
export function actorPseudonym(ctx: RegistryContext, actor: Actor | string): string {
  return ctx.pseudonyms.of('actor', typeof actor === 'string' ? actor : actor.id);
}
