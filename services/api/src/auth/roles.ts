/**
 * Who is calling: the roles of services/api/README.md and the viewer a request carries. A request
 * without a bearer token is PUBLIC; a request with a bad token never becomes PUBLIC (it is
 * refused with UNAUTHENTICATED before any resolver runs).
 */
import type { Actor } from '@trust-alliance/core';

import type { Role } from '@trust-alliance/core';
export { ROLES, isRole, type Role } from '@trust-alliance/core';

/** The caller of one request. */
export interface Viewer {
  role: Role | 'PUBLIC';
  /** The token's `sub` (for MEMBER: the member id); null for PUBLIC. */
  subject: string | null;
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({ role: 'PUBLIC', subject: null });

/** The actor recorded in core's history for this viewer. */
export function actorOf(viewer: Viewer): Actor {
  return { id: viewer.subject ?? 'anonymous', role: viewer.role };
}
