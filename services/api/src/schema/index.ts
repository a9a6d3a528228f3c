/**
 * The GraphQL schema: imports every type file (each registers its types, queries and
 * mutations on the builder) and builds it. Nothing else happens here (docs/ARCHITECTURE.md, "Conventions").
 */
import { builder } from './builder.ts';
import './errors.ts';
import './enums.ts';
import './verification.ts';
import './data-rights.ts';
import './member.ts';
import './account.ts';
import './pledge.ts';
import './certification-policy.ts';
import './assessment.ts';
import './badge.ts';
import './attestation.ts';
import './signing-key.ts';
import './audit-log.ts';
import './report.ts';
import './webhook-subscription.ts';

export const schema = builder.toSchema();
