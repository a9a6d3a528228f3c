/**
 * The transparency log (docs/ARCHITECTURE.md, "Signed formats"): `auditLog(from, count)` with its entries, a signed
 * checkpoint (origin, size, root hash) and RFC 9162 inclusion and consistency proofs, all from
 * core and checkable with @trust-alliance/verifier (`verifyCheckpoint`, `verifyLogInclusion`,
 * `verifyLogConsistency`). Public: the log holds no personal data.
 */
import { z } from 'zod';
import type { Registry } from '@trust-alliance/core';
import { builder } from './builder.ts';

type LogEntryView = Awaited<ReturnType<Registry['log']['entries']>>[number];
type Checkpoint = Awaited<ReturnType<Registry['log']['checkpoint']>>;

/** Largest page of entries. */
export const MAX_LOG_PAGE = 100;

const LogEntryRef = builder.objectRef<LogEntryView>('LogEntry').implement({
  description: 'One registry event, a leaf of the Merkle tree.',
  fields: (t) => ({
    idx: t.exposeInt('idx', { description: 'Its index (leaf number, from 0).' }),
    kind: t.exposeString('kind', { description: 'What happened, e.g. assessment.recorded.' }),
    payload: t.exposeString('payload', { description: 'The event as RFC 8785 canonical JSON: exactly the bytes that were hashed.' }),
    leafHash: t.exposeString('leafHash', { description: 'SHA-256(0x00 ‖ payload), base64url.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
  }),
});

const LogCheckpointRef = builder.objectRef<Checkpoint>('LogCheckpoint').implement({
  description: 'A signed tree head: the log as it is now.',
  fields: (t) => ({
    jwt: t.exposeString('jwt', { description: 'The signed checkpoint (`typ: log-checkpoint+jwt`): check it with verifyCheckpoint.' }),
    size: t.exposeInt('size'),
    rootHash: t.exposeString('rootHash', { description: 'Merkle root of the first `size` entries, base64url.' }),
  }),
});

const AuditLogRef = builder.objectRef<{ from: number; count: number }>('AuditLog').implement({
  description: 'The append-only log of every registry event, with proofs.',
  fields: (t) => ({
    size: t.int({ description: 'Number of entries.', resolve: (_p, _a, ctx) => ctx.registry.log.size() }),
    entries: t.field({ type: [LogEntryRef], description: 'The page asked for, in index order.', resolve: (p, _a, ctx) => ctx.registry.log.entries({ from: p.from, count: p.count }) }),
    checkpoint: t.field({ type: LogCheckpointRef, description: 'A freshly signed checkpoint of the whole log.', resolve: (_p, _a, ctx) => ctx.registry.log.checkpoint() }),
    inclusionProof: t.stringList({
      description: 'Hashes (base64url) proving that entry `idx` is in the tree of the first `treeSize` entries.',
      args: {
        idx: t.arg.int({ required: true, validate: z.number().int().min(0) }),
        treeSize: t.arg.int({ required: true, validate: z.number().int().min(1) }),
      },
      resolve: (_p, args, ctx) => ctx.registry.log.inclusionProof(args.idx, args.treeSize),
    }),
    consistencyProof: t.stringList({
      description: 'Hashes (base64url) proving that the tree of `newSize` entries extends the tree of `oldSize` entries.',
      args: {
        oldSize: t.arg.int({ required: true, validate: z.number().int().min(1) }),
        newSize: t.arg.int({ required: true, validate: z.number().int().min(1) }),
      },
      resolve: (_p, args, ctx) => ctx.registry.log.consistencyProof(args.oldSize, args.newSize),
    }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.field({
    type: AuditLogRef,
    description: `The transparency log: entries from \`from\` (default 0), at most ${MAX_LOG_PAGE} (default 50), plus its size, a signed checkpoint and proofs. Public: no personal data.`,
    authScopes: { public: true },
    args: {
      from: t.arg.int({ required: false, validate: z.number().int().min(0) }),
      count: t.arg.int({ required: false, validate: z.number().int().min(1).max(MAX_LOG_PAGE) }),
    },
    resolve: (_root, args) => ({ from: args.from ?? 0, count: args.count ?? 50 }),
  }),
);
