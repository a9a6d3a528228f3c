/**
 * `GET /log/checkpoint`: the transparency log's latest checkpoint as a C2SP signed note
 * (`tlog-checkpoint`, signed with the log's own Ed25519 key; docs/protocols/transparency-log.md),
 * `text/plain; charset=utf-8`, the format witnesses, Go's `sumdb/note` and Sigstore read. A new
 * checkpoint is signed only when the log has grown, at most once a second (core's
 * log/checkpoints.ts); every reader in between gets the stored one, so it may be cached for a second.
 *
 * `GET /log/proof/consistency?old=<size>&new=<size>` and
 * `GET /log/proof/inclusion?index=<i>&size=<size>`: RFC 9162 proofs as base64url strings, which
 * `verifyLogConsistency`/`verifyLogInclusion` take as given; `old=0` is the empty tree.
 */
import type { Registry } from '@trust-alliance/core';
import type { Route } from './route.ts';
import { cacheable, errorResponse, noStore, refuseUnlessGet } from './respond.ts';

export const LOG_CHECKPOINT_PATH = '/log/checkpoint';
export const LOG_CONSISTENCY_PATH = '/log/proof/consistency';
export const LOG_INCLUSION_PATH = '/log/proof/inclusion';
/** Seconds a checkpoint may be cached: no new one is signed sooner. */
export const CHECKPOINT_MAX_AGE_SECONDS = 1;

function size(url: URL, name: string): number | null {
  const values = url.searchParams.getAll(name);
  if (values.length !== 1 || !/^(0|[1-9][0-9]{0,12})$/.test(values[0]!)) return null;
  return Number(values[0]);
}

/** The log routes. */
export function logRoutes(registry: Registry): Route[] {
  return [
    {
      path: LOG_CHECKPOINT_PATH,
      handle: async (request) => {
        const refused = refuseUnlessGet(request);
        if (refused) return refused;
        const cp = await registry.log.latestCheckpoint();
        return cacheable(request, { body: cp.note, contentType: 'text/plain; charset=utf-8', etag: `"${cp.size}-${cp.rootHash.slice(0, 16)}-${cp.verifierKey.slice(-8)}"`, maxAgeSeconds: CHECKPOINT_MAX_AGE_SECONDS });
      },
    },
    {
      path: LOG_CONSISTENCY_PATH,
      handle: async (request, url) => {
        const refused = refuseUnlessGet(request);
        if (refused) return refused;
        const older = size(url, 'old');
        const newer = size(url, 'new');
        if (older === null) return errorResponse('BAD_USER_INPUT', 'old must be a tree size (0 for the empty tree)', 'old');
        if (newer === null) return errorResponse('BAD_USER_INPUT', 'new must be a tree size', 'new');
        if (newer > (await registry.log.size())) return errorResponse('BAD_USER_INPUT', 'new is larger than the log', 'new');
        return noStore(200, { old: older, new: newer, proof: await registry.log.consistencyProof(older, newer) }, { 'access-control-allow-origin': '*' });
      },
    },
    {
      path: LOG_INCLUSION_PATH,
      handle: async (request, url) => {
        const refused = refuseUnlessGet(request);
        if (refused) return refused;
        const index = size(url, 'index');
        const treeSize = size(url, 'size');
        if (index === null) return errorResponse('BAD_USER_INPUT', 'index must be an entry index', 'index');
        if (treeSize === null || treeSize <= index) return errorResponse('BAD_USER_INPUT', 'size must be a tree size larger than index', 'size');
        if (treeSize > (await registry.log.size())) return errorResponse('BAD_USER_INPUT', 'size is larger than the log', 'size');
        return noStore(200, { index, size: treeSize, proof: await registry.log.inclusionProof(index, treeSize) }, { 'access-control-allow-origin': '*' });
      },
    },
  ];
}
